package io.jobwatch.core.store;

import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.SourceDescriptor;
import io.jobwatch.core.source.Sources;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The pure rules of the store, shared by every adapter so that they agree by construction: validation, folding one
 * event into a run (outcome included), and Glue crawler pairing. Adapters only find the previous run, check for
 * duplicates and persist.
 */
public final class RunFold {
    /** Run ids above this many UTF-8 bytes are refused (DynamoDB sort keys hold 1,024 bytes). */
    public static final int MAX_RUN_ID_BYTES = 1000;
    /** Job ids ({@code source:account:region:jobName}) above this many UTF-8 bytes are refused. */
    public static final int MAX_JOB_ID_BYTES = 1500;
    /** Notes kept per run; later ones are dropped. */
    public static final int MAX_NOTES = 10;
    /** Suffix of the id of a crawl known only from its terminal event: {@code crawler@END~end}. */
    public static final String ORPHAN_CRAWL_SUFFIX = "~end";
    /**
     * How far apart two reports of one crawl's end may be and still be the same end: crawler events carry whole
     * seconds, Glue's ListCrawls milliseconds.
     */
    public static final Duration CRAWL_END_TOLERANCE = Duration.ofSeconds(1);
    /**
     * How far apart a crawl's start as its Started event says it and as its end event tells it (completion date −
     * running time, both whole seconds) may be and still be the same crawl.
     */
    public static final Duration CRAWL_START_TOLERANCE = Duration.ofSeconds(2);

    private RunFold() {
    }

    /** Checks that the event fits the run model; the exception names the field and how to fix it. */
    public static void validate(RunEvent e) {
        Objects.requireNonNull(e, "event");
        if (e.eventId().isBlank()) {
            throw new InvalidRunEventException("(blank)", "eventId", "is blank; every EventBridge event has an id");
        }
        boolean crawler = pairsByStart(e.job().source());
        if (e.runId() == null) {
            if (!crawler) {
                throw new InvalidRunEventException(e.eventId(), "runId",
                        "missing for a " + e.job().source().label() + " event; only the terminal events of "
                                + START_NAMED + " may omit it");
            }
            if (!e.terminal()) {
                throw new InvalidRunEventException(e.eventId(), "runId",
                        "missing on a non-terminal " + e.job().source().label() + " event (state " + e.state()
                                + "); its start event is identified as jobName@startTime");
            }
        } else {
            if (e.runId().isBlank()) {
                throw new InvalidRunEventException(e.eventId(), "runId", "is blank");
            }
            if (bytes(e.runId()) > MAX_RUN_ID_BYTES) {
                throw new InvalidRunEventException(e.eventId(), "runId",
                        "is " + bytes(e.runId()) + " bytes of UTF-8; at most " + MAX_RUN_ID_BYTES + " are kept as a key");
            }
            if (crawler && e.runId().endsWith(ORPHAN_CRAWL_SUFFIX)) {
                throw new InvalidRunEventException(e.eventId(), "runId",
                        "ends with '" + ORPHAN_CRAWL_SUFFIX + "', which the store reserves for crawls known only by their end");
            }
        }
        if (e.job().jobName().isBlank()) {
            throw new InvalidRunEventException(e.eventId(), "job.jobName", "is blank");
        }
        if (bytes(e.job().id()) > MAX_JOB_ID_BYTES) {
            throw new InvalidRunEventException(e.eventId(), "job",
                    "id is " + bytes(e.job().id()) + " bytes of UTF-8; at most " + MAX_JOB_ID_BYTES + " are kept as a key");
        }
        if (e.startedAt() != null && e.endedAt() != null && e.endedAt().isBefore(e.startedAt())) {
            throw new InvalidRunEventException(e.eventId(), "endedAt",
                    e.endedAt() + " is before startedAt " + e.startedAt() + "; check the service's clock fields");
        }
    }

    /** The end a terminal event stands for: its end time, else its envelope time. */
    public static Instant endOf(RunEvent e) {
        return e.endedAt() != null ? e.endedAt() : e.eventTime();
    }

    /**
     * Folds one (already validated, non-duplicate) event into the run.
     *
     * @param previous  the run as stored, or null when the store does not know it (or it expired)
     * @param key       the run the event belongs to (for crawler terminal events: as paired)
     * @param now       store clock
     * @param retention how long the run lives after this update
     */
    public static ApplyResult apply(Run previous, RunKey key, RunEvent e, Instant now, Duration retention) {
        Instant expires = now.plus(retention);
        if (previous == null) {
            Run run = new Run(key, e.state(), e.sourceState(), e.startedAt(), e.terminal() ? endOf(e) : null,
                    e.error(), List.of(), now, now, 1, e.eventTime(), expires, e.attemptOrFirst(),
                    e.terminal() ? e.warning() : null, e.rawJobName(), e.notifyDelay());
            return new ApplyResult(Outcome.CREATED, run, null);
        }
        Run p = previous;
        // A crawl's end tells its start only to the second (completion − running time): a start the run has from its
        // Started event or the service's listing is the precise one.
        boolean startIsHint = e.terminal() && e.runId() == null && pairsByStart(e.job().source());
        Instant start = startIsHint && p.startedAt() != null ? p.startedAt() : min(p.startedAt(), e.startedAt());
        boolean earlierStart = !Objects.equals(start, p.startedAt());
        RunState state = p.state();
        String sourceState = p.sourceState();
        Instant end = p.endedAt();
        String error = p.error();
        String warning = p.warning();
        Duration notifyDelay = p.notifyDelay();
        int attempt = p.attempt();
        List<String> notes = p.notes();
        Outcome outcome;
        // An event that names no attempt is about the run's current one.
        int eventAttempt = e.attemptNamed() ? e.attempt() : p.attempt();
        if (eventAttempt > p.attempt() && endedAfterItBegan(p, e)) {
            // The run ended after this later attempt began: that end is the later attempt's (told first by an event
            // that named no attempt). The run takes the attempt number and keeps its ending.
            attempt = eventAttempt;
            outcome = Outcome.ADVANCED;
        } else if (eventAttempt > p.attempt()) {
            // A higher attempt started (a redrive, a retry): the run is that attempt's now, whatever state the earlier
            // one ended in — the one way a finished run goes back to RUNNING. What the earlier attempt ended with
            // stays as a note.
            state = e.state();
            sourceState = e.sourceState();
            end = e.terminal() ? endOf(e) : null;
            error = e.error();
            warning = e.terminal() ? e.warning() : null;
            notifyDelay = e.notifyDelay();
            attempt = eventAttempt;
            if (p.terminal()) {
                notes = withNewNote(notes, attemptNote(p.attempt(), p.state(), p.endedAt(), p.error()));
            }
            outcome = Outcome.ADVANCED;
        } else if (eventAttempt < p.attempt()) {
            // A late event of an earlier attempt: recorded (its start counts, its ending becomes the same note a run
            // that saw it in order has), never a change of state.
            if (e.terminal()) {
                notes = withNewNote(notes, attemptNote(e.attempt(), e.state(), endOf(e), e.error()));
            }
            outcome = Outcome.STALE;
        } else if (e.terminal()) {
            notifyDelay = minDelay(p.notifyDelay(), e.notifyDelay());
            if (!p.terminal()) {
                state = e.state();
                sourceState = e.sourceState();
                end = endOf(e);
                error = e.error();
                warning = e.warning();
                outcome = Outcome.ADVANCED;
            } else if (e.state() == p.state()) {
                // The same ending told twice (two events): keep the earliest end and the first error and warning.
                end = min(p.endedAt(), endOf(e));
                error = p.error() != null ? p.error() : e.error();
                warning = p.warning() != null ? p.warning() : e.warning();
                boolean more = earlierStart || !Objects.equals(end, p.endedAt()) || !Objects.equals(error, p.error())
                        || !Objects.equals(warning, p.warning());
                outcome = more ? Outcome.ADVANCED : Outcome.STALE;
            } else {
                notes = withNote(p.notes(), "conflicting terminal state " + e.state() + " (source state '"
                        + e.sourceState() + "', event " + e.eventId() + " at " + e.eventTime() + ") ignored; kept "
                        + p.state());
                outcome = Outcome.STALE;
            }
        } else {
            notifyDelay = minDelay(p.notifyDelay(), e.notifyDelay());
            boolean lateSignal = !Objects.equals(notifyDelay, p.notifyDelay());
            if (p.terminal() || e.state().rank() < p.state().rank()) {
                // A late event from an earlier stage: recorded (and its start counts), never a regression.
                outcome = Outcome.STALE;
            } else if (e.state().rank() > p.state().rank()) {
                state = e.state();
                sourceState = e.sourceState();
                outcome = Outcome.ADVANCED;
            } else {
                boolean newer = !e.eventTime().isBefore(p.lastEventTime()) && !e.sourceState().equals(p.sourceState());
                if (newer) {
                    sourceState = e.sourceState();
                }
                outcome = newer || earlierStart || lateSignal ? Outcome.ADVANCED : Outcome.STALE;
            }
        }
        Instant lastEventTime = max(p.lastEventTime(), e.eventTime());
        String raw = p.rawJobName() != null ? p.rawJobName() : e.rawJobName();
        Run run = new Run(key, state, sourceState, start, end, error, notes, p.firstSeen(), now, p.eventCount() + 1,
                lastEventTime, expires, attempt, warning, raw, notifyDelay);
        return new ApplyResult(outcome, run, p.state());
    }

    /**
     * Whether finished run {@code p} ended after non-terminal event {@code e} of a later attempt began (its event time):
     * then p's ending belongs to that attempt, not to an earlier one — e.g. an EMR Serverless job run whose SUCCESS
     * (which names no attempt) arrived before the retry event that started its second attempt.
     */
    private static boolean endedAfterItBegan(Run p, RunEvent e) {
        return p.terminal() && !e.terminal() && p.endedAt() != null && p.endedAt().isAfter(e.eventTime());
    }

    /** The note a run keeps of an earlier attempt's ending (the same text in any arrival order). */
    static String attemptNote(int attempt, RunState state, Instant end, String error) {
        String why = error == null ? "" : ": " + clip(error.replaceAll("\\s+", " "), 200);
        return "attempt " + attempt + " ended " + state + " at " + end + why;
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static Duration minDelay(Duration a, Duration b) {
        return a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    }

    /** What a store must do to the job summary after an apply. */
    public enum SummaryChange {
        /** Nothing: the run is not finished, or nothing the summary remembers changed. */
        NONE,
        /** The run just finished (or finished again, by a later attempt): {@link JobSummaryState#finished}. */
        FINISHED,
        /** A finished run changed (e.g. learned its start): {@link JobSummaryState#refreshed}. */
        REFRESHED,
        /**
         * An earlier attempt's ending arrived after a later attempt began (the run is running again): the run counts
         * among the job's finished runs from now on, as it would had the ending come first
         * ({@link JobSummaryState#attemptEnded}).
         */
        ATTEMPT_ENDED
    }

    /**
     * Whether some attempt of the run has ended: a run counts once among its job's finished runs from then on. Known
     * from the run itself — it is finished, or keeps the note of an earlier attempt's ending — so the answer is the same
     * in every arrival order, unlike whether the summary's slots still hold the run.
     */
    public static boolean anAttemptEnded(Run run) {
        return run != null && (run.terminal() || run.notes().stream().anyMatch(RunFold::isAttemptNote));
    }

    private static boolean isAttemptNote(String note) {
        return note.startsWith("attempt ") && note.contains(" ended ");
    }

    /** Decides the summary write for an apply whose run was {@code before} (null if new). */
    public static SummaryChange summaryChange(Run before, ApplyResult result) {
        Run run = result.run();
        if (result.outcome() == Outcome.DUPLICATE) {
            return SummaryChange.NONE;
        }
        if (!run.terminal()) {
            return !anAttemptEnded(before) && anAttemptEnded(run) ? SummaryChange.ATTEMPT_ENDED : SummaryChange.NONE;
        }
        if (before == null || !before.terminal()) {
            return SummaryChange.FINISHED;
        }
        if (run.attempt() > before.attempt()) {
            return SummaryChange.FINISHED; // a later attempt finished the run again: a new outcome for the summary
        }
        boolean changed = !Objects.equals(before.startedAt(), run.startedAt())
                || !Objects.equals(before.endedAt(), run.endedAt()) || !Objects.equals(before.error(), run.error())
                || !Objects.equals(before.warning(), run.warning());
        return changed ? SummaryChange.REFRESHED : SummaryChange.NONE;
    }

    // ---- Glue crawler pairing ------------------------------------------------------------------------------------
    // (every source whose descriptor says runIdFromStart: Glue crawlers, DMS tasks)

    /** The sources whose runs are named by their start, for messages: "Glue crawler, DMS replication task". */
    private static final String START_NAMED = String.join(", ", Sources.all().stream()
            .filter(SourceDescriptor::runIdFromStart).map(d -> d.source().label()).toList());

    /** Whether the source's terminal events carry no run id and pair with the job's open run, as crawls do. */
    public static boolean pairsByStart(JobSource source) {
        return Sources.of(source).runIdFromStart();
    }

    /** Every crawl id of a crawler starts with this: {@code crawlerName@}. */
    public static String crawlPrefix(RunEvent e) {
        return e.job().jobName() + "@";
    }

    /**
     * The id a crawler terminal event gets when no open crawl takes it: {@code crawler@END~end}. It sorts right
     * after the ids of crawls started at or before END, so "the latest crawl with id ≤ this" is the crawl it ends.
     */
    public static String orphanCrawlRunId(RunEvent terminal) {
        return terminal.job().jobName() + "@" + endOf(terminal) + ORPHAN_CRAWL_SUFFIX;
    }

    public static boolean isOrphanCrawl(String runId) {
        return runId.endsWith(ORPHAN_CRAWL_SUFFIX);
    }

    /**
     * Whether a crawler terminal event ends {@code candidate}, the crawler's run with the greatest id ≤
     * {@link #orphanCrawlRunId}: it must be alive, not finished, and not started after the event's end.
     */
    public static boolean endsOpenCrawl(Run candidate, RunEvent terminal, Instant now) {
        return candidate != null && !candidate.expired(now) && !candidate.terminal()
                && (candidate.startedAt() == null || !candidate.startedAt().isAfter(endOf(terminal)))
                && sameStart(terminal.job().source(), candidate.startedAt(), terminal.startedAt());
    }

    /**
     * Whether two starts of a crawl may be the same crawl's: equal within {@link #CRAWL_START_TOLERANCE}, or one of
     * them unknown. An end that tells its start (a crawler's Succeeded) so never ends another crawl still open.
     */
    static boolean sameStart(io.jobwatch.core.run.JobSource source, Instant a, Instant b) {
        // Only a crawler's end tells its start (completion − running time); other start-named sources' ends (a DMS
        // task's stop, a ping) carry at most their own time, which says nothing about which run they end.
        return source != io.jobwatch.core.run.JobSource.GLUE_CRAWLER || sameStart(a, b);
    }

    static boolean sameStart(Instant a, Instant b) {
        return a == null || b == null || Duration.between(a, b).abs().compareTo(CRAWL_START_TOLERANCE) <= 0;
    }

    /**
     * Whether a crawler terminal event belongs to {@code candidate}, the crawler's run with the greatest id ≤
     * {@link #orphanCrawlRunId}: the open crawl it ends ({@link #endsOpenCrawl}), or a crawl already finished whose
     * end it reports again (its end is not after the crawl's end plus {@link #CRAWL_END_TOLERANCE}; crawls of one
     * crawler do not overlap) — e.g. a crawl the reconciler finished from ListCrawls before the event arrived.
     */
    public static boolean joinsCrawl(Run candidate, RunEvent terminal, Instant now) {
        if (endsOpenCrawl(candidate, terminal, now)) {
            return true;
        }
        Instant end = endOf(terminal);
        return candidate != null && !candidate.expired(now) && candidate.terminal() && candidate.endedAt() != null
                && (candidate.startedAt() == null || !candidate.startedAt().isAfter(end))
                && !end.isAfter(candidate.endedAt().plus(CRAWL_END_TOLERANCE))
                && sameStart(terminal.job().source(), candidate.startedAt(), terminal.startedAt());
    }

    /**
     * Whether a crawler event with a run id ({@code crawler@START}) takes over {@code next}, the crawler's run with
     * the smallest id greater than the event's id: a crawl known only by its end (orphan), alive, ending at or after
     * the start, and of the same start when the orphan's end told it ({@link #sameStart}). A Started event takes any
     * such orphan; a terminal one (a crawl the reconciler read from ListCrawls) only the orphan of its own end (within
     * {@link #CRAWL_END_TOLERANCE}), not a later crawl's.
     */
    public static boolean takesOverOrphan(Run next, RunEvent started, Instant now) {
        Instant start = started.startedAt() != null ? started.startedAt() : started.eventTime();
        boolean orphanAfterStart = next != null && !next.expired(now) && isOrphanCrawl(next.runId())
                && next.terminal() && !next.endedAt().isBefore(start)
                && sameStart(started.job().source(), next.startedAt(), start);
        return orphanAfterStart
                && (!started.terminal() || !next.endedAt().isAfter(endOf(started).plus(CRAWL_END_TOLERANCE)));
    }

    /**
     * The id just below every orphan id of {@code terminal}'s end and at or above the ids of crawls started at or
     * before it: the upper bound that finds "the crawl this end may belong to" without the orphan itself.
     */
    public static String belowOrphanCrawlRunId(RunEvent terminal) {
        String orphan = orphanCrawlRunId(terminal);
        return orphan.substring(0, orphan.length() - ORPHAN_CRAWL_SUFFIX.length() + 1);
    }

    /**
     * One crawl known as two runs (its Started's, {@code into}, and its end's orphan, {@code from}, written at the same
     * time by two writers) made one, under {@code into}'s key: the same run as folding all their events into one, in
     * any order. {@code from} is terminal (an orphan crawl is known only by its end).
     */
    public static Run absorb(Run into, Run from, Instant now, Duration retention) {
        // The run named by its start (into) has the precise start; an orphan's is at best its end's estimate.
        RunEvent end = new RunEvent("(absorbed " + from.runId() + ")", into.job(), into.runId(), from.state(),
                from.sourceState(), from.lastEventTime(), into.startedAt() != null ? null : from.startedAt(),
                from.endedAt(), from.error(),
                from.attempt(), from.warning(), from.rawJobName(), from.notifyDelay());
        Run r = apply(into, into.key(), end, now, retention).run();
        List<String> notes = new ArrayList<>(r.notes());
        for (String n : from.notes()) {
            if (notes.size() < MAX_NOTES && !notes.contains(n)) {
                notes.add(n);
            }
        }
        return new Run(r.key(), r.state(), r.sourceState(), r.startedAt(), r.endedAt(), r.error(), notes,
                min(into.firstSeen(), from.firstSeen()), now, into.eventCount() + from.eventCount(),
                r.lastEventTime(), r.expiresAt(), r.attempt(), r.warning(), r.rawJobName(), r.notifyDelay());
    }

    /** The orphan crawl under its final id (the Started event is then applied to it as usual). */
    public static Run rekey(Run orphan, RunKey key) {
        return new Run(key, orphan.state(), orphan.sourceState(), orphan.startedAt(), orphan.endedAt(), orphan.error(),
                orphan.notes(), orphan.firstSeen(), orphan.lastUpdated(), orphan.eventCount(), orphan.lastEventTime(),
                orphan.expiresAt(), orphan.attempt(), orphan.warning(), orphan.rawJobName(), orphan.notifyDelay());
    }

    private static List<String> withNewNote(List<String> notes, String note) {
        return notes.contains(note) ? notes : withNote(notes, note);
    }

    private static List<String> withNote(List<String> notes, String note) {
        if (notes.size() >= MAX_NOTES) {
            return notes;
        }
        List<String> out = new ArrayList<>(notes);
        out.add(note);
        return out;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
