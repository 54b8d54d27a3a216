package io.jobwatch.store.dynamodb;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobBrief;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.JobSummaryState;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunFold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Item shapes of the single table (see README.md): keys, attribute names, and run/summary codecs. */
final class Items {
    static final String PK = "pk";
    static final String SK = "sk";
    static final String JOB = "JOB#";
    static final String RUN = "RUN#";
    static final String SUMMARY = "SUMMARY";
    static final String PARKED = "PARKED#";
    /** Prefix of one attribute per applied event: {@code e:<eventId>}. */
    static final String EVENT = "e:";
    static final String TERM = "term";
    static final String FIRST_SEEN = "fs";
    static final String LAST_UPDATED = "lu";
    /** expiresAt as epoch nanoseconds (exact, for conditions and read filters). */
    static final String EXPIRES_NANOS = "xn";
    /** expiresAt as epoch seconds, rounded up: the table's TTL attribute. */
    static final String TTL = "ttl";
    /**
     * The run's sort time (epoch millis: start, else end; an untimed run's first event time, a lower bound): LSI
     * byTime and GSI openRuns sort key. Kept equal to {@link Run#sortTime()} once the run is timed, so a byTime range
     * query is exact.
     */
    static final String TIME = "t";
    /** The sort time once a start or an end is known (epoch millis), the source of {@link #TIME} from then on. */
    static final String TIMED = "k";
    /** Sparse flag of incident, outbox and breach items (their own constants): GSI summaries partition key. */
    static final String SUMMARY_FLAG = "g";
    /** Constant {@code SUMMARY} on job summary items: GSI briefs partition key. */
    static final String BRIEF_FLAG = "b";
    static final String BRIEFS = "briefs";
    /** Constant {@code OPEN} on run items while their latest event is not terminal: sparse GSI open partition key. */
    static final String OPEN_FLAG = "o";
    static final String OPEN = "OPEN";
    static final String OK_AT = "okAt";
    static final String FAIL_AT = "failAt";
    static final String STREAK = "streak";
    static final String RUN_COUNT = "runs";
    /** Compact copy of slot NN for the summaries index: {@code cNN} (see {@link #compact}). */
    static final String COMPACT = "c";
    /** Compact value of the run slot NN held before its current one: {@code pNN} ("-" when it held none). */
    static final String PREVIOUS = "p";
    static final String NO_PREVIOUS = "-";
    /** The last run to finish (arrival order): its run id, a tab, its error (truncated) — for the summaries index. */
    static final String LATEST = "L";
    /** okAt / failAt in epoch seconds, for the summaries index. */
    static final String OK_SECONDS = "ok";
    static final String FAIL_SECONDS = "fl";
    /**
     * Errors kept in {@link #LATEST} are cut to this many UTF-8 bytes (the full error is in the slot): more than the
     * digest shows (300 bytes and "…"), so the digest reads the same.
     */
    static final int LATEST_ERROR_BYTES = 320;
    static final String BY_TIME = "byTime";
    static final String SUMMARIES = "summaries";
    static final String OPEN_RUNS = "openRuns";

    /** Any positive retention for the fold of an item's events: the item's own expiry ({@code xn}) replaces it. */
    private static final Duration FOLD_RETENTION = Duration.ofDays(1);

    private Items() {
    }

    static String pk(JobKey job) {
        return JOB + job.id();
    }

    static String sk(String runId) {
        return RUN + runId;
    }

    static Map<String, AttributeValue> runKey(RunKey key) {
        return Map.of(PK, s(pk(key.job())), SK, s(sk(key.runId())));
    }

    static Map<String, AttributeValue> summaryKey(JobKey job) {
        return Map.of(PK, s(pk(job)), SK, s(SUMMARY));
    }

    static String slotAttribute(int slot) {
        return String.format("s%02d", slot);
    }

    static String compactAttribute(int slot) {
        return String.format(COMPACT + "%02d", slot);
    }

    static String previousAttribute(int slot) {
        return String.format(PREVIOUS + "%02d", slot);
    }

    /** The attributes the summaries index projects (besides the keys): what the digest and the SLA checks read. */
    static List<String> briefAttributes() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < JobSummaryState.SLOTS; i++) {
            out.add(compactAttribute(i));
            out.add(previousAttribute(i));
        }
        out.addAll(List.of(LATEST, STREAK, RUN_COUNT, OK_SECONDS, FAIL_SECONDS));
        return out;
    }

    /** One event as stored in its run item: what the fold needs, plus the store-clock time it was applied. */
    static AttributeValue event(RunEvent e, Instant appliedAt) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("s", s(e.state().name()));
        m.put("ss", s(e.sourceState()));
        m.put("t", when(e.eventTime()));
        if (e.startedAt() != null) {
            m.put("st", when(e.startedAt()));
        }
        if (e.endedAt() != null) {
            m.put("en", when(e.endedAt()));
        }
        if (e.error() != null) {
            m.put("er", s(e.error()));
        }
        // Absent for the usual case (a first attempt, no warning, the service's own job name, no late signal); an
        // attempt of 0 (the event does not say) is kept as 0.
        if (e.attempt() != 1) {
            m.put("at", n(e.attempt()));
        }
        if (e.warning() != null) {
            m.put("w", s(e.warning()));
        }
        if (e.rawJobName() != null) {
            m.put("rj", s(e.rawJobName()));
        }
        if (e.notifyDelay() != null) {
            m.put("nd", n(e.notifyDelay().toSeconds()));
        }
        m.put("a", s(appliedAt.toString()));
        return AttributeValue.fromM(m);
    }

    /** Whether the run's sort time is fixed by a start or an end (and not by its latest event's time). */
    static boolean timed(Run run) {
        return run.startedAt() != null || run.terminal();
    }

    /** Sets t (and k when timed) of a whole run item written with PutItem. */
    static void putSortTime(Map<String, AttributeValue> item, Run run) {
        Instant sort = run.sortTime();
        item.put(TIME, n(sort.toEpochMilli()));
        if (timed(run)) {
            item.put(TIMED, n(sort.toEpochMilli()));
        }
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant fromNanos(long n) {
        return Instant.ofEpochSecond(Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
    }

    static long ttlSeconds(Instant expires) {
        return expires.getNano() == 0 ? expires.getEpochSecond() : expires.getEpochSecond() + 1;
    }

    static boolean isRun(Map<String, AttributeValue> item) {
        return item != null && item.containsKey(SK) && item.get(SK).s().startsWith(RUN);
    }

    static boolean alive(Map<String, AttributeValue> item, Instant now) {
        AttributeValue xn = item.get(EXPIRES_NANOS);
        return xn != null && Long.parseLong(xn.n()) > nanos(now);
    }

    /**
     * Rebuilds the run from its item by folding its events with the shared rules: the first terminal event to
     * arrive ({@code term}, set with if_not_exists) first, then the others in the order they were applied.
     */
    static Run run(Map<String, AttributeValue> item) {
        if (!isRun(item)) {
            return null;
        }
        JobKey job = JobKey.parse(item.get(PK).s().substring(JOB.length()));
        RunKey key = new RunKey(job, item.get(SK).s().substring(RUN.length()));
        String term = item.containsKey(TERM) ? item.get(TERM).s() : null;
        List<StoredEvent> events = new ArrayList<>();
        item.forEach((name, v) -> {
            if (name.startsWith(EVENT)) {
                events.add(StoredEvent.of(name.substring(EVENT.length()), v.m()));
            }
        });
        if (events.isEmpty()) {
            return null;
        }
        events.sort(Comparator.comparing((StoredEvent x) -> !x.id().equals(term)).thenComparing(StoredEvent::appliedAt)
                .thenComparing(StoredEvent::eventTime).thenComparing(StoredEvent::id));
        Run r = null;
        for (StoredEvent e : events) {
            r = RunFold.apply(r, key, e.toRunEvent(job, key.runId()), e.appliedAt(), FOLD_RETENTION).run();
        }
        Instant expires = fromNanos(Long.parseLong(item.get(EXPIRES_NANOS).n()));
        return new Run(key, r.state(), r.sourceState(), r.startedAt(), r.endedAt(), r.error(), r.notes(),
                instant(item.get(FIRST_SEEN).s()), instant(item.get(LAST_UPDATED).s()), r.eventCount(),
                r.lastEventTime(), expires, r.attempt(), r.warning(), r.rawJobName(), r.notifyDelay());
    }

    record StoredEvent(String id, RunState state, String sourceState, Instant eventTime, Instant startedAt,
                       Instant endedAt, String error, Instant appliedAt, int attempt, String warning,
                       String rawJobName, Duration notifyDelay) {
        static StoredEvent of(String id, Map<String, AttributeValue> m) {
            return new StoredEvent(id, RunState.valueOf(m.get("s").s()), m.get("ss").s(), time(m.get("t")),
                    time(m.get("st")), time(m.get("en")), m.containsKey("er") ? m.get("er").s() : null,
                    instant(m.get("a").s()), m.containsKey("at") ? Integer.parseInt(m.get("at").n()) : 1,
                    m.containsKey("w") ? m.get("w").s() : null, m.containsKey("rj") ? m.get("rj").s() : null,
                    m.containsKey("nd") ? Duration.ofSeconds(Long.parseLong(m.get("nd").n())) : null);
        }

        RunEvent toRunEvent(JobKey job, String runId) {
            return new RunEvent(id, job, runId, state, sourceState, eventTime, startedAt, endedAt, error, attempt,
                    warning, rawJobName, notifyDelay);
        }
    }

    static AttributeValue recent(Run run) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("r", s(run.runId()));
        m.put("s", s(String.valueOf(stateLetter(run.state()))));
        if (run.startedAt() != null) {
            m.put("st", when(run.startedAt()));
        }
        m.put("en", when(run.endedAt()));
        // Sort time (start, else end) in epoch millis: a slot only takes a run at least as new as the one it holds.
        m.put("t", n(run.startedAt() != null ? run.startedAt().toEpochMilli() : run.endedAt().toEpochMilli()));
        if (run.error() != null) {
            m.put("er", s(run.error()));
        }
        if (run.attempt() > 1) {
            m.put("a", n(run.attempt()));
        }
        if (run.warning() != null) {
            m.put("w", s(run.warning()));
        }
        return AttributeValue.fromM(m);
    }

    // ---- compact slots ------------------------------------------------------------------------------------------

    private static final String B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String STATES = "SFTX";
    private static final RunState[] STATE_OF = {RunState.SUCCEEDED, RunState.FAILED, RunState.TIMED_OUT,
            RunState.STOPPED};

    /**
     * A finished run in ~12 characters, for the summaries index: sort time (start, else end) in epoch seconds as 6
     * base-62 digits (so strings order like times), a 3-character tag of the run id, the state (S, F, T, X; lower
     * case when the start is unknown and the sort time is the end), then end − sort time in seconds (base 62); then,
     * only for the runs that have them, {@code *} and the attempt (base 62) when a later attempt finished it, and
     * {@code !} and its warning (cut to {@link #COMPACT_WARNING_BYTES}) — so the digest lists warnings from the index.
     */
    static String compact(Run run) {
        return compact(run.runId(), run.state(), run.startedAt(), run.endedAt())
                + (run.attempt() > 1 ? "*" + base62(run.attempt()) : "")
                + (run.warning() != null ? "!" + io.jobwatch.core.run.Text.truncateUtf8(run.warning(),
                COMPACT_WARNING_BYTES) : "");
    }

    /** Warnings kept in a compact slot are cut to this many UTF-8 bytes (the whole warning is on the run). */
    static final int COMPACT_WARNING_BYTES = 120;

    static String compact(String runId, RunState state, Instant startedAt, Instant endedAt) {
        Instant sort = startedAt != null ? startedAt : endedAt;
        long sortSeconds = sort.getEpochSecond();
        long duration = Math.max(0, endedAt.getEpochSecond() - sortSeconds);
        int i = STATES.indexOf(switch (state) {
            case SUCCEEDED -> 'S';
            case FAILED -> 'F';
            case TIMED_OUT -> 'T';
            default -> 'X';
        });
        char st = STATES.charAt(i);
        return fixed62(sortSeconds, 6) + tag(runId) + (startedAt != null ? st : Character.toLowerCase(st))
                + base62(duration);
    }

    /** Three base-62 characters of a mixed hash of the run id: tells the latest run's slot from the others. */
    static String tag(String runId) {
        long h = runId.hashCode() * 0x9E3779B97F4A7C15L;
        h ^= (h >>> 31);
        return fixed62(Math.floorMod(h, 62L * 62 * 62), 3);
    }

    /** A run as its compact slot tells it: no run id (null) and no error unless {@code latest} names it. */
    record Compact(String tag, RunState state, Instant startedAt, Instant endedAt, int attempt, String warning) {
        Instant sortTime() {
            return startedAt != null ? startedAt : endedAt;
        }

        static Compact parse(String v) {
            String warning = null;
            int bang = v.indexOf('!');
            if (bang >= 0) {
                warning = v.substring(bang + 1);
                v = v.substring(0, bang);
            }
            int attempt = 1;
            int star = v.indexOf('*');
            if (star >= 0) {
                attempt = (int) parse62(v.substring(star + 1));
                v = v.substring(0, star);
            }
            long sort = parse62(v.substring(0, 6));
            String tag = v.substring(6, 9);
            char c = v.charAt(9);
            RunState state = STATE_OF[STATES.indexOf(Character.toUpperCase(c))];
            long duration = parse62(v.substring(10));
            Instant sortTime = Instant.ofEpochSecond(sort);
            return new Compact(tag, state, Character.isUpperCase(c) ? sortTime : null, sortTime.plusSeconds(duration),
                    attempt, warning);
        }
    }

    static String fixed62(long v, int width) {
        StringBuilder b = new StringBuilder(base62(v));
        while (b.length() < width) {
            b.insert(0, '0');
        }
        return b.toString();
    }

    static String base62(long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative: " + v);
        }
        StringBuilder b = new StringBuilder();
        do {
            b.append(B62.charAt((int) (v % 62)));
            v /= 62;
        } while (v > 0);
        return b.reverse().toString();
    }

    static long parse62(String s) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            v = v * 62 + B62.indexOf(s.charAt(i));
        }
        return v;
    }

    /** {@link #LATEST}'s value: run id, tab, error cut to {@link #LATEST_ERROR_BYTES} (none when it has no error). */
    static String latest(Run run) {
        String error = run.error() == null ? "" : "\t" + io.jobwatch.core.run.Text.truncateUtf8(run.error(),
                LATEST_ERROR_BYTES);
        return run.runId() + error;
    }

    /**
     * A job summary as the summaries index projects it: the compact slots, the latest run's id and error from
     * {@link #LATEST}, counters. Returns null when {@link #LATEST} does not name the newest slot's run (a run finished
     * out of order, or an item written before this layout): the caller then reads the whole item.
     */
    static JobBrief brief(Map<String, AttributeValue> item) {
        JobKey job = summaryJob(item);
        Map<Integer, RecentRun> slots = new TreeMap<>();
        Compact newest = null;
        int newestSlot = -1;
        Instant evicted = null;
        boolean any = false;
        for (int i = 0; i < JobSummaryState.SLOTS; i++) {
            AttributeValue p = item.get(previousAttribute(i));
            if (p != null && p.s() != null && !p.s().equals(NO_PREVIOUS)) {
                Instant t = Compact.parse(p.s()).sortTime();
                evicted = evicted == null || t.isAfter(evicted) ? t : evicted;
            }
            AttributeValue v = item.get(compactAttribute(i));
            if (v == null || v.s() == null) {
                continue;
            }
            any = true;
            Compact c = Compact.parse(v.s());
            slots.put(i, new RecentRun(null, c.state(), c.startedAt(), c.endedAt(), null, c.attempt(), c.warning()));
            if (newest == null || c.sortTime().isAfter(newest.sortTime())
                    || (c.sortTime().equals(newest.sortTime()) && c.endedAt().isAfter(newest.endedAt()))) {
                newest = c;
                newestSlot = i;
            }
        }
        if (!any) {
            return null;
        }
        AttributeValue l = item.get(LATEST);
        if (l == null || l.s() == null) {
            return null;
        }
        int tab = l.s().indexOf('\t');
        String runId = tab < 0 ? l.s() : l.s().substring(0, tab);
        String error = tab < 0 ? null : l.s().substring(tab + 1);
        if (!tag(runId).equals(newest.tag())) {
            return null;
        }
        slots.put(newestSlot, new RecentRun(runId, newest.state(), newest.startedAt(), newest.endedAt(), error,
                newest.attempt(), newest.warning()));
        JobSummaryState state = new JobSummaryState(slots, seconds(item.get(OK_SECONDS)),
                seconds(item.get(FAIL_SECONDS)),
                item.containsKey(STREAK) ? Integer.parseInt(item.get(STREAK).n()) : 0,
                item.containsKey(RUN_COUNT) ? Long.parseLong(item.get(RUN_COUNT).n()) : 0, null);
        // Every finished run whose sort time is after the newest one a slot gave up is in the slots.
        Instant completeSince = evicted == null ? Instant.EPOCH : evicted.plusSeconds(1);
        return new JobBrief(state.toSummary(job), completeSince);
    }

    /** The same from the whole item (every run id known). */
    static JobBrief briefOfItem(Map<String, AttributeValue> item) {
        JobSummary full = summaryState(item).toSummary(summaryJob(item));
        if (full == null) {
            return null;
        }
        Instant evicted = null;
        for (int i = 0; i < JobSummaryState.SLOTS; i++) {
            AttributeValue p = item.get(previousAttribute(i));
            if (p != null && p.s() != null && !p.s().equals(NO_PREVIOUS)) {
                Instant t = Compact.parse(p.s()).sortTime();
                evicted = evicted == null || t.isAfter(evicted) ? t : evicted;
            }
        }
        boolean compactLayout = item.containsKey(LATEST);
        return new JobBrief(full, !compactLayout ? null : evicted == null ? Instant.EPOCH : evicted.plusSeconds(1));
    }

    private static Instant seconds(AttributeValue v) {
        return v == null || v.n() == null ? null : Instant.ofEpochSecond(Long.parseLong(v.n()));
    }

    static JobSummaryState summaryState(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return JobSummaryState.empty();
        }
        Map<Integer, RecentRun> slots = new TreeMap<>();
        for (int i = 0; i < JobSummaryState.SLOTS; i++) {
            AttributeValue v = item.get(slotAttribute(i));
            // A slot left by a run that moved keeps only that run's former sort time (see DynamoRunRecords): empty.
            if (v != null && v.hasM() && v.m().containsKey("r")) {
                Map<String, AttributeValue> m = v.m();
                slots.put(i, new RecentRun(m.get("r").s(), slotState(m.get("s").s()), time(m.get("st")),
                        time(m.get("en")), m.containsKey("er") ? m.get("er").s() : null,
                        m.containsKey("a") ? Integer.parseInt(m.get("a").n()) : 1,
                        m.containsKey("w") ? m.get("w").s() : null));
            }
        }
        return new JobSummaryState(slots, time(item.get(OK_AT)), time(item.get(FAIL_AT)),
                item.containsKey(STREAK) ? Integer.parseInt(item.get(STREAK).n()) : 0,
                item.containsKey(RUN_COUNT) ? Long.parseLong(item.get(RUN_COUNT).n()) : 0,
                time(item.get(LAST_UPDATED)));
    }

    static JobKey summaryJob(Map<String, AttributeValue> item) {
        return JobKey.parse(item.get(PK).s().substring(JOB.length()));
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    static Instant time(AttributeValue v) {
        if (v == null) {
            return null;
        }
        if (v.n() != null) {
            return Instant.ofEpochMilli(Long.parseLong(v.n()));
        }
        return v.s() == null ? null : instant(v.s());
    }

    /**
     * A time in a run's events or a summary slot: epoch milliseconds (a number of ~8 bytes) when it has no finer
     * part — the services' times never do — else the ISO text (~27 bytes). Items are billed per started KB, so the
     * bytes saved keep more run items and summaries within one write unit; {@link #time} reads both (and older items).
     */
    static AttributeValue when(Instant t) {
        return t.getNano() % 1_000_000 == 0 ? n(t.toEpochMilli()) : s(t.toString());
    }

    /** A summary slot's state: its {@link #compact} letter (older items: the state's name). */
    private static RunState slotState(String s) {
        if (s.length() == 1) {
            int i = STATES.indexOf(s.charAt(0));
            if (i < 0) {
                throw new IllegalArgumentException("unknown summary slot state '" + s + "'");
            }
            return STATE_OF[i];
        }
        return RunState.valueOf(s);
    }

    private static char stateLetter(RunState state) {
        return switch (state) {
            case SUCCEEDED -> 'S';
            case FAILED -> 'F';
            case TIMED_OUT -> 'T';
            default -> 'X';
        };
    }

    /**
     * Parses what {@link Instant#toString()} wrote ({@code yyyy-MM-ddTHH:mm:ss[.fff[fff[fff]]]Z}) by hand: reads fold
     * every event's times, and DateTimeFormatter cost more than the rest of the fold. Anything else goes to
     * {@link Instant#parse}, which also reports malformed text.
     */
    static Instant instant(String s) {
        int len = s.length();
        if (len < 20 || len > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(len - 1) != 'Z') {
            return Instant.parse(s);
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nano = 0;
        if (len > 20) {
            int fraction = len - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Instant.parse(s);
            }
            nano = digits(s, 20, len - 1);
            for (int i = fraction; i < 9; i++) {
                nano *= 10;
            }
        }
        if ((year | month | day | hour | minute | second | nano) < 0 || month < 1 || month > 12 || day < 1
                || day > 28 && day > java.time.YearMonth.of(year, month).lengthOfMonth() || hour > 23 || minute > 59
                || second > 59) {
            return Instant.parse(s);
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3600L + minute * 60L + second, nano);
    }

    /** The decimal number in s[from, to), or -1 if a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
