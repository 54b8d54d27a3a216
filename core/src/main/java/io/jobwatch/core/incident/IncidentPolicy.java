package io.jobwatch.core.incident;

import io.jobwatch.core.incident.IncidentRecord.State;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.ConsoleLinks;
import io.jobwatch.core.store.RecentRun;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a job's health transition means for its incident, the way a good on-call engineer would:
 * <ul>
 *   <li><b>open</b> on a failure when incidents are on, the job is critical enough, it is not in a maintenance window
 *   and its threshold is met (N consecutive failures, or a failure rate over the last M runs);</li>
 *   <li><b>update</b> (work note) on every further failure while the incident is open;</li>
 *   <li><b>resolve</b> after the configured number of successes in a row;</li>
 *   <li><b>reopen</b> the resolved incident when the job fails again within the flap damping window of recovering;</li>
 *   <li><b>no-op</b> otherwise, with the reason.</li>
 * </ul>
 * Pure: no I/O; the injected clock only stamps the record. Thresholds and the successes-to-resolve count apply to
 * {@link ProblemKind#FAILURE}; SLA kinds open on the first breach and resolve on the first recovery.
 * Resolving is never suppressed (incidents off, maintenance): closing a ticket is never noise.
 */
public final class IncidentPolicy {
    /** correlation_display of incidents Jobwatch opens. */
    public static final String CORRELATION_DISPLAY = "Jobwatch";

    private final Clock clock;

    public IncidentPolicy(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param transition    the job's health step (see {@link Transition#ofRun})
     * @param rules         the job's incident settings ({@link IncidentRules#defaults()} without a catalog)
     * @param history       the job's recent terminal runs including this one ({@link JobHistory#unknown()} if not known)
     * @param current       the job's incident record for this problem kind, if any (from the IncidentStore)
     * @param inMaintenance true when the job is in a maintenance window at the transition's time
     */
    public IncidentDecision decide(Transition transition, IncidentRules rules, JobHistory history,
                                   Optional<IncidentRecord> current, boolean inMaintenance) {
        Objects.requireNonNull(transition, "transition");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(history, "history");
        IncidentRecord rec = current.orElse(null);
        if (rec != null && (!rec.job().equals(transition.job()) || rec.kind() != transition.kind())) {
            throw new IllegalArgumentException("incident record of " + rec.job() + "/" + rec.kind()
                    + " given for a transition of " + transition.job() + "/" + transition.kind());
        }
        if (transition.runState() == RunState.STOPPED) {
            return IncidentDecision.noOp(null, "run stopped on purpose: no change");
        }
        if (rec != null && transition.runId() != null && transition.runId().equals(rec.lastRunId())) {
            return IncidentDecision.noOp(null, "run " + transition.runId() + " was already decided");
        }
        Instant now = clock.instant();
        return transition.failing()
                ? onFailure(transition, rules, history, rec, inMaintenance, now)
                : onRecovery(transition, rules, rec, now);
    }

    private IncidentDecision onFailure(Transition t, IncidentRules rules, JobHistory history, IncidentRecord rec,
                                       boolean inMaintenance, Instant now) {
        if (rec != null && rec.open()) {
            boolean flipped = rec.consecutiveSuccesses() > 0; // it had recovered, not yet resolved
            IncidentRecord next = new IncidentRecord(rec.job(), rec.kind(), rec.correlationId(), rec.sysId(),
                    rec.number(), State.OPEN, rec.openedAt(), now, null, rec.consecutiveFailures() + 1, 0,
                    flipped ? t.at() : rec.lastFlipAt(), t.runId());
            if (!rules.enabled()) {
                return IncidentDecision.noOp(next, "incidents are off for this job: no work note");
            }
            if (inMaintenance) {
                return IncidentDecision.noOp(next, "in a maintenance window: no work note");
            }
            return IncidentDecision.act(new IncidentAction.Update(IncidentRef.of(next), t.runId(), t.at(),
                            againNote(t, next.consecutiveFailures()), IncidentAction.Cause.of(t)), next,
                    "failed again while the incident is open (" + next.consecutiveFailures() + " in a row)");
        }
        if (!rules.enabled()) {
            return IncidentDecision.noOp(null, "incidents are off for this job");
        }
        if (!rules.criticality().atLeast(rules.minimumCriticality())) {
            return IncidentDecision.noOp(null, "criticality " + rules.criticality()
                    + " is below the incident threshold " + rules.minimumCriticality());
        }
        if (inMaintenance) {
            return IncidentDecision.noOp(null, "in a maintenance window");
        }
        int failuresInRow = Math.max(history.consecutiveFailures(), 1);
        if (rec != null && withinDampingWindow(rec, rules.flapDampingWindow(), t.at())) {
            IncidentRecord next = new IncidentRecord(rec.job(), rec.kind(), rec.correlationId(), rec.sysId(),
                    rec.number(), State.OPEN, rec.openedAt(), now, null, failuresInRow, 0, t.at(), t.runId());
            return IncidentDecision.act(new IncidentAction.Reopen(IncidentRef.of(next), t.runId(), t.at(),
                            reopenNote(t, rec, rules.flapDampingWindow()), IncidentAction.Cause.of(t)), next,
                    "failed again within the flap damping window: reopen " + describe(rec));
        }
        String threshold;
        if (t.kind() != ProblemKind.FAILURE) {
            threshold = "SLA breach";
        } else if (rules.failureRate() != null) {
            IncidentRules.FailureRate rate = rules.failureRate();
            int[] fc = history.failuresAmongLast(rate.lastRuns());
            int failed = fc[1] == 0 ? 1 : fc[0];
            // "X% of the last M runs" means M runs: runs not seen yet count as not failed, so a new job's first
            // failure is 1 of M, not 1 of 1 (else every young flaky job would page at once).
            int counted = rate.lastRuns();
            threshold = failed + " of the last " + counted + " runs failed (over " + rate.percent() + "%)";
            if (failed * 100L <= (long) rate.percent() * counted) {
                return IncidentDecision.noOp(null, failed + " of the last " + counted
                        + " runs failed: not over the " + rate.percent() + "% threshold");
            }
        } else {
            int needed = rules.openAfterConsecutiveFailures();
            threshold = failuresInRow + " consecutive failure" + (failuresInRow == 1 ? "" : "s");
            if (failuresInRow < needed) {
                return IncidentDecision.noOp(null, failuresInRow + " of " + needed
                        + " consecutive failures needed to open an incident");
            }
        }
        String correlationId = CorrelationIds.of(t.job(), t.kind());
        IncidentRecord next = new IncidentRecord(t.job(), t.kind(), correlationId, null, null, State.OPEN, now, now,
                null, failuresInRow, 0, t.at(), t.runId());
        String link = ConsoleLinks.forRun(t.job(), t.runId());
        IncidentAction.Open open = new IncidentAction.Open(IncidentRef.of(next), t.runId(), t.at(),
                title(t, rules), description(t, rules, link, threshold), rules.effectiveUrgency(),
                rules.effectiveImpact(), rules.assignmentGroup(), CORRELATION_DISPLAY, link, openNote(t),
                IncidentAction.Cause.of(t));
        return IncidentDecision.act(open, next, "open: " + threshold);
    }

    private IncidentDecision onRecovery(Transition t, IncidentRules rules, IncidentRecord rec, Instant now) {
        if (rec == null || !rec.open()) {
            return IncidentDecision.noOp(null, "healthy and no open incident");
        }
        int successes = rec.consecutiveSuccesses() + 1;
        boolean flipped = rec.consecutiveSuccesses() == 0;
        Instant flipAt = flipped ? t.at() : rec.lastFlipAt();
        int needed = t.kind() == ProblemKind.FAILURE ? rules.resolveAfterConsecutiveSuccesses() : 1;
        if (successes < needed) {
            IncidentRecord next = new IncidentRecord(rec.job(), rec.kind(), rec.correlationId(), rec.sysId(),
                    rec.number(), State.OPEN, rec.openedAt(), now, null, 0, successes, flipAt, t.runId());
            return IncidentDecision.noOp(next, successes + " of " + needed + " successful runs needed to resolve");
        }
        IncidentRecord next = new IncidentRecord(rec.job(), rec.kind(), rec.correlationId(), rec.sysId(),
                rec.number(), State.RESOLVED, rec.openedAt(), now, now, 0, successes, flipAt, t.runId());
        return IncidentDecision.act(new IncidentAction.Resolve(IncidentRef.of(next), t.runId(), t.at(),
                        closeNotes(t), "Resolved by Jobwatch after " + successes + " successful run"
                        + (successes == 1 ? "" : "s in a row") + ".", IncidentAction.Cause.of(t)), next,
                "resolve after " + successes + " successful run" + (successes == 1 ? "" : "s"));
    }

    // ---- failures of runs, by run time ---------------------------------------------------------------------------

    /**
     * What a job's finished runs imply for its FAILURE incident under the rules: the rules replayed over the runs in
     * run-time order (start, else end), whatever order they arrived in.
     *
     * @param open           an incident would be open after the newest run
     * @param failuresInRow  failed runs in a row at the end (STOPPED runs neither break nor extend a streak)
     * @param successesInRow successful runs in a row at the end
     * @param recoveredAt    end of the first success of the last recovery (for flap damping), or null
     * @param flapping       the open incident came back within the flap damping window of a recovery (a reopen)
     */
    public record Implied(boolean open, int failuresInRow, int successesInRow, Instant recoveredAt, boolean flapping) {
    }

    /**
     * Replays the rules over {@code oldestFirst} (finished runs ordered by run time): a failure opens when incidents
     * are on for the job, it is not in a maintenance window and the threshold is met (N failures in a row, or the
     * failure rate over the last M runs), or when it comes within the flap damping window of a recovery; the
     * configured number of successes in a row resolves (never suppressed).
     */
    public static Implied implied(List<RecentRun> oldestFirst, IncidentRules rules, Predicate<Instant> inMaintenance) {
        boolean open = false;
        int fails = 0;
        int oks = 0;
        Instant recovering = null;
        Instant recovered = null;
        boolean flap = false;
        Deque<Boolean> window = new ArrayDeque<>();
        IncidentRules.FailureRate rate = rules.failureRate();
        boolean allowed = rules.enabled() && rules.criticality().atLeast(rules.minimumCriticality());
        for (RecentRun r : oldestFirst) {
            Instant at = r.endedAt();
            if (rules.retrying(r)) {
                continue; // the service retries it: a later attempt decides
            }
            if (rules.fails(r)) {
                fails++;
                oks = 0;
                window.addLast(true);
                if (rate != null && window.size() > rate.lastRuns()) {
                    window.removeFirst();
                }
                if (!open && allowed && !inMaintenance.test(at)) {
                    boolean flapping = recovered != null && !rules.flapDampingWindow().isZero()
                            && !at.isAfter(recovered.plus(rules.flapDampingWindow()));
                    flap = flapping;
                    if (flapping) {
                        open = true;
                    } else if (rate != null) {
                        long failed = window.stream().filter(f -> f).count();
                        open = failed * 100L > (long) rate.percent() * rate.lastRuns();
                    } else {
                        open = fails >= rules.openAfterConsecutiveFailures();
                    }
                }
            } else if (r.state() == RunState.SUCCEEDED) { // (with a warning only when the rules let warnings pass)
                oks++;
                fails = 0;
                window.addLast(false);
                if (rate != null && window.size() > rate.lastRuns()) {
                    window.removeFirst();
                }
                if (oks == 1) {
                    recovering = at;
                }
                if (open && oks >= rules.resolveAfterConsecutiveSuccesses()) {
                    open = false;
                    recovered = recovering;
                }
            }
        }
        return new Implied(open, fails, oks, recovered, open && flap);
    }

    /**
     * Decides on a finished run by converging the job's incident record towards what its runs imply
     * ({@link #implied}): open (or reopen within the flap damping window) when the runs imply an open incident and
     * none is, resolve when one is open and the runs no longer imply it, add a work note for a failed run while open
     * (once per run), nothing otherwise. So a late run older than the job's newest one never opens an incident the
     * newer runs would have resolved, the counters come from the runs, and the same runs give the same incident
     * whatever order, duplicates or batches delivered them.
     *
     * @param job           the job
     * @param run           the finished run being judged (it is in {@code oldestFirst})
     * @param eventId       the event that finished it, or null
     * @param oldestFirst   the job's recent finished runs, ordered by run time
     * @param rules         the job's incident settings
     * @param inMaintenance whether the job is in a maintenance window at an instant
     * @param current       the job's FAILURE incident state, if any
     */
    public IncidentDecision converge(JobKey job, RecentRun run, String eventId, List<RecentRun> oldestFirst,
                                     IncidentRules rules, Predicate<Instant> inMaintenance,
                                     Optional<IncidentRecord> current, List<String> noted) {
        if (run.state() == RunState.STOPPED) {
            return IncidentDecision.noOp(null, "run stopped on purpose: no change");
        }
        if (rules.retrying(run)) {
            return IncidentDecision.noOp(null, "failed on attempt " + run.attempt() + " and the service retries up to "
                    + rules.waitForRetries() + " time" + (rules.waitForRetries() == 1 ? "" : "s")
                    + " (incident.waitForRetries): a later attempt decides");
        }
        IncidentRecord rec = current.orElse(null);
        boolean recordOpen = rec != null && rec.open();
        // Switches that only keep incidents from opening (incidents off, criticality, maintenance) never close one:
        // an open incident is measured against the runs alone.
        Implied implied = recordOpen
                ? implied(oldestFirst, rules.withEnabled(true).withCriticality(rules.criticality(), IncidentRules.Criticality.LOW), at -> false)
                : implied(oldestFirst, rules, inMaintenance);
        Instant now = clock.instant();
        if (implied.open() && !recordOpen) {
            RecentRun trigger = rules.fails(run) ? run : newestFailure(oldestFirst, rules);
            Transition t = Transition.ofRun(job, Health.HEALTHY, trigger.runId(), trigger.state(),
                    trigger == run ? eventId : null, problem(trigger), trigger.endedAt());
            if (rec != null && (implied.flapping() || withinDampingWindow(rec, rules.flapDampingWindow(), t.at()))) {
                IncidentRecord next = new IncidentRecord(job, ProblemKind.FAILURE, rec.correlationId(), rec.sysId(),
                        rec.number(), State.OPEN, rec.openedAt(), now, null, implied.failuresInRow(),
                        implied.successesInRow(), t.at(), run.runId());
                return IncidentDecision.act(new IncidentAction.Reopen(IncidentRef.of(next), t.runId(), t.at(),
                        reopenNote(t, rec, rules.flapDampingWindow()), IncidentAction.Cause.of(t)), next,
                        "failed again within the flap damping window: reopen " + describe(rec));
            }
            String threshold = threshold(rules, implied, oldestFirst);
            String correlationId = CorrelationIds.of(job, ProblemKind.FAILURE);
            IncidentRecord next = new IncidentRecord(job, ProblemKind.FAILURE, correlationId, null, null, State.OPEN,
                    now, now, null, implied.failuresInRow(), implied.successesInRow(), t.at(), run.runId());
            String link = ConsoleLinks.forRun(job, t.runId());
            return IncidentDecision.act(new IncidentAction.Open(IncidentRef.of(next), t.runId(), t.at(),
                    title(t, rules), description(t, rules, link, threshold), rules.effectiveUrgency(),
                    rules.effectiveImpact(), rules.assignmentGroup(), CORRELATION_DISPLAY, link, openNote(t),
                    IncidentAction.Cause.of(t)), next,
                    "open: " + threshold);
        }
        if (!implied.open() && recordOpen) {
            Instant flip = implied.recoveredAt() != null ? implied.recoveredAt() : run.endedAt();
            IncidentRecord next = new IncidentRecord(job, rec.kind(), rec.correlationId(), rec.sysId(), rec.number(),
                    State.RESOLVED, rec.openedAt(), now, now, implied.failuresInRow(), implied.successesInRow(), flip,
                    run.runId());
            // A run that succeeded on a later attempt (a redrive, a retry) says so: the failure it recovers from was
            // its own earlier attempt's.
            String onAttempt = run.attempt() > 1 ? " on attempt " + run.attempt() : "";
            String closeNotes = run.state() == RunState.SUCCEEDED
                    ? "Auto-resolved: " + job.jobName() + " run " + run.runId() + " SUCCEEDED" + onAttempt + " at "
                    + run.endedAt() + "."
                    : "Auto-resolved: " + job.jobName() + "'s runs, in the order they ran, no longer meet the incident"
                    + " rule (run " + run.runId() + " ended " + run.endedAt() + " and arrived late).";
            int n = implied.successesInRow();
            return IncidentDecision.act(new IncidentAction.Resolve(IncidentRef.of(next), run.runId(), run.endedAt(),
                    closeNotes, "Resolved by Jobwatch after " + n + " successful run" + (n == 1 ? "" : "s in a row")
                    + (run.attempt() > 1 ? " (run " + run.runId() + " succeeded on attempt " + run.attempt()
                    + ", after " + (run.attempt() - 1) + " failed attempt" + (run.attempt() == 2 ? "" : "s") + ")" : "")
                    + ".", new IncidentAction.Cause(run.state().name(), null)), next,
                    "resolve: the runs no longer imply an open incident");
        }
        if (!recordOpen) {
            return IncidentDecision.noOp(null, whyNotOpen(run, oldestFirst, rules, inMaintenance, implied));
        }
        // Open, and the runs say it stays open.
        Instant flipAt = implied.successesInRow() > 0 && rec.consecutiveSuccesses() == 0 ? run.endedAt() : rec.lastFlipAt();
        IncidentRecord next = new IncidentRecord(job, rec.kind(), rec.correlationId(), rec.sysId(), rec.number(),
                State.OPEN, rec.openedAt(), now, null, implied.failuresInRow(), implied.successesInRow(), flipAt,
                run.runId());
        if (rules.fails(run) && !noted.contains(run.runId()) && rules.enabled()
                && !inMaintenance.test(run.endedAt())) {
            Transition t = Transition.ofRun(job, Health.FAILING, run.runId(), run.state(), eventId, problem(run),
                    run.endedAt());
            boolean late = !oldestFirst.isEmpty() && run.sortTime().isBefore(oldestFirst.get(oldestFirst.size() - 1).sortTime());
            String note = (late ? "Late report of an earlier run: " : "") + againNote(t, Math.max(1, implied.failuresInRow()));
            return IncidentDecision.act(new IncidentAction.Update(IncidentRef.of(next), t.runId(), t.at(), note,
                    IncidentAction.Cause.of(t)), next,
                    "failed while the incident is open (" + implied.failuresInRow() + " in a row)");
        }
        // No action: the record is saved only when its counters move (judging a run again writes nothing).
        boolean changed = rec.consecutiveFailures() != next.consecutiveFailures()
                || rec.consecutiveSuccesses() != next.consecutiveSuccesses();
        if (rules.fails(run)) {
            String why = noted.contains(run.runId()) ? "run " + run.runId() + " was already decided"
                    : !rules.enabled() ? "incidents are off for this job: no work note"
                    : "in a maintenance window: no work note";
            return IncidentDecision.noOp(changed ? next : null, why);
        }
        if (!changed) {
            return IncidentDecision.noOp(null, "open and unchanged");
        }
        return IncidentDecision.noOp(next, implied.successesInRow() > 0
                ? implied.successesInRow() + " of " + rules.resolveAfterConsecutiveSuccesses()
                + " successful runs needed to resolve" : "open; counters follow the runs");
    }

    /** Why a failure (or a success) leaves the job without an incident, in the rule's words. */
    private static String whyNotOpen(RecentRun run, List<RecentRun> oldestFirst, IncidentRules rules,
                                     Predicate<Instant> inMaintenance, Implied implied) {
        if (!rules.fails(run)) {
            return "healthy and no open incident";
        }
        boolean newest = oldestFirst.isEmpty() || !run.sortTime().isBefore(oldestFirst.get(oldestFirst.size() - 1).sortTime());
        if (!newest && implied.failuresInRow() == 0) {
            return "a newer run of the job succeeded: this late failure opens nothing";
        }
        if (!rules.enabled()) {
            return "incidents are off for this job";
        }
        if (!rules.criticality().atLeast(rules.minimumCriticality())) {
            return "criticality " + rules.criticality() + " is below the incident threshold "
                    + rules.minimumCriticality();
        }
        if (inMaintenance.test(run.endedAt())) {
            return "in a maintenance window";
        }
        if (rules.failureRate() != null) {
            IncidentRules.FailureRate rate = rules.failureRate();
            List<RecentRun> counted = oldestFirst.stream().filter(r -> r.state() != RunState.STOPPED).toList();
            long failed = counted.subList(Math.max(0, counted.size() - rate.lastRuns()), counted.size()).stream()
                    .filter(rules::fails).count();
            return failed + " of the last " + rate.lastRuns() + " runs failed: not over the " + rate.percent()
                    + "% threshold";
        }
        return implied.failuresInRow() + " of " + rules.openAfterConsecutiveFailures()
                + " consecutive failures needed to open an incident";
    }

    /** What went wrong in a run that counts as a failure: its error, or the warning of a success that counts. */
    private static String problem(RecentRun r) {
        return r.state() == RunState.SUCCEEDED && r.warning() != null ? "Succeeded with a warning: " + r.warning()
                : r.error();
    }

    private static RecentRun newestFailure(List<RecentRun> oldestFirst, IncidentRules rules) {
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            if (rules.fails(oldestFirst.get(i))) {
                return oldestFirst.get(i);
            }
        }
        throw new IllegalStateException("an open incident is implied without a failed run");
    }

    private static String threshold(IncidentRules rules, Implied implied, List<RecentRun> oldestFirst) {
        if (rules.failureRate() != null) {
            IncidentRules.FailureRate rate = rules.failureRate();
            List<RecentRun> counted = oldestFirst.stream().filter(r -> r.state() != RunState.STOPPED).toList();
            long failed = counted.subList(Math.max(0, counted.size() - rate.lastRuns()), counted.size()).stream()
                    .filter(rules::fails).count();
            return failed + " of the last " + rate.lastRuns() + " runs failed (over " + rate.percent() + "%)";
        }
        int n = Math.max(1, implied.failuresInRow());
        return n + " consecutive failure" + (n == 1 ? "" : "s");
    }

    /** A failure at {@code at} no later than the damping window after the job recovered. */
    private static boolean withinDampingWindow(IncidentRecord rec, Duration window, Instant at) {
        if (rec.open() || window.isZero() || rec.lastFlipAt() == null) {
            return false;
        }
        return !at.isAfter(rec.lastFlipAt().plus(window));
    }

    // ---- texts -------------------------------------------------------------------------------------------------

    private static String headline(Transition t) {
        if (t.kind() == ProblemKind.FAILURE && t.runState() == RunState.TIMED_OUT) {
            return "TIMED OUT";
        }
        if (t.kind() == ProblemKind.FAILURE && t.runState() == RunState.SUCCEEDED) {
            return "SUCCEEDED WITH WARNINGS"; // incident.onWarning: open
        }
        return t.kind().headline();
    }

    private static String jobLabel(Transition t) {
        return t.job().source().label() + " " + t.job().jobName();
    }

    static String title(Transition t, IncidentRules rules) {
        String prefix = rules.system() == null || rules.system().isBlank() ? "" : "[" + rules.system() + "] ";
        String suffix = " " + headline(t);
        String title = prefix + jobLabel(t) + suffix;
        if (title.length() <= IncidentAction.MAX_TITLE_LENGTH) {
            return title;
        }
        // Keep the headline: shorten the job name part.
        int room = IncidentAction.MAX_TITLE_LENGTH - suffix.length() - 1;
        String head = (prefix + jobLabel(t)).substring(0, room);
        if (Character.isHighSurrogate(head.charAt(head.length() - 1))) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "…" + suffix;
    }

    private static String description(Transition t, IncidentRules rules, String link, String threshold) {
        StringBuilder b = new StringBuilder();
        b.append(jobLabel(t)).append(' ').append(headline(t)).append(".\n");
        b.append("Account: ").append(t.job().account());
        if (rules.system() != null && !rules.system().isBlank()) {
            b.append(" (").append(rules.system()).append(')');
        }
        b.append("\nRegion: ").append(t.job().region());
        b.append("\nJob key: ").append(t.job().id());
        if (t.runId() != null) {
            b.append("\nRun: ").append(t.runId());
        }
        if (t.runState() != null) {
            b.append("\nResult: ").append(t.runState()).append(" at ").append(t.at());
        } else {
            b.append("\nDetected at: ").append(t.at());
        }
        if (t.error() != null && !t.error().isBlank()) {
            b.append(t.runState() != null ? "\nError: " : "\nDetail: ").append(t.error());
        }
        b.append("\nAWS console: ").append(link);
        b.append("\nOpened by Jobwatch: ").append(threshold).append('.');
        return b.toString();
    }

    private static String openNote(Transition t) {
        StringBuilder b = new StringBuilder("Opened automatically by Jobwatch");
        if (t.runId() != null) {
            b.append(" from run ").append(t.runId());
        }
        if (t.eventId() != null) {
            b.append(" (EventBridge event ").append(t.eventId()).append(')');
        }
        return b.append('.').toString();
    }

    private static String againNote(Transition t, int failuresInRow) {
        StringBuilder b = new StringBuilder();
        if (t.runId() != null) {
            b.append(t.kind() == ProblemKind.FAILURE ? "Failed again: run " : headline(t) + " again: run ")
                    .append(t.runId()).append(" at ").append(t.at());
        } else {
            b.append(headline(t)).append(" again at ").append(t.at());
        }
        b.append(" (").append(failuresInRow).append(" consecutive failure").append(failuresInRow == 1 ? "" : "s").append(").");
        appendDetails(b, t);
        return b.toString();
    }

    private static String reopenNote(Transition t, IncidentRecord rec, Duration window) {
        StringBuilder b = new StringBuilder("Reopened by Jobwatch: ");
        b.append(headline(t).toLowerCase(java.util.Locale.ROOT)).append(" again");
        if (t.runId() != null) {
            b.append(" (run ").append(t.runId()).append(')');
        }
        b.append(" at ").append(t.at()).append(", within ").append(window.toMinutes())
                .append(" min of recovering at ").append(rec.lastFlipAt()).append(" (flapping).");
        appendDetails(b, t);
        return b.toString();
    }

    private static void appendDetails(StringBuilder b, Transition t) {
        if (t.error() != null && !t.error().isBlank()) {
            b.append("\nError: ").append(t.error());
        }
        b.append("\nAWS console: ").append(ConsoleLinks.forRun(t.job(), t.runId()));
    }

    private static String closeNotes(Transition t) {
        if (t.kind() == ProblemKind.FAILURE) {
            return "Auto-resolved: " + t.job().jobName()
                    + (t.runId() != null ? " run " + t.runId() : "") + " SUCCEEDED at " + t.at() + ".";
        }
        return "Auto-resolved: " + t.job().jobName() + " is no longer " + t.kind().headline() + " (" + t.at() + ").";
    }

    private static String describe(IncidentRecord rec) {
        return rec.number() != null ? rec.number() : rec.correlationId();
    }
}
