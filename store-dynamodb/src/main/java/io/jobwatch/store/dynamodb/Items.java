package io.jobwatch.store.dynamodb;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummaryState;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunFold;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
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
    static final String DAY = "DAY#";
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
     * The run's sort time (epoch millis: start, else end, else latest event time): LSI byTime sort key and GSI byDay
     * sort key. Kept equal to {@link Run#sortTime()} on every write, so a byDay range query is exact.
     */
    static final String TIME = "t";
    /** Day bucket {@code DAY#yyyy-mm-dd} of {@link #TIME}, or {@link #UNTIMED}: GSI byDay partition key. */
    static final String DAY_BUCKET = "d";
    /** The sort time once a start or an end is known (epoch millis), the source of {@link #TIME} from then on. */
    static final String TIMED = "k";
    /** The day bucket of {@link #TIMED}. */
    static final String TIMED_DAY = "kd";
    /**
     * byDay partition of runs known only from non-terminal events without a start (e.g. a queued DataSync task):
     * their sort time is their latest event's, which a blind write cannot keep, so they wait here until a start or
     * an end moves them to their day.
     */
    static final String UNTIMED = "DAY#untimed";
    /** Constant {@code SUMMARY} on summary items: GSI summaries partition key. */
    static final String SUMMARY_FLAG = "g";
    /** Constant {@code OPEN} on run items while their latest event is not terminal: sparse GSI open partition key. */
    static final String OPEN_FLAG = "o";
    static final String OPEN = "OPEN";
    static final String OK_AT = "okAt";
    static final String FAIL_AT = "failAt";
    static final String STREAK = "streak";
    static final String RUN_COUNT = "runs";
    static final String BY_TIME = "byTime";
    static final String BY_DAY = "byDay";
    static final String SUMMARIES = "summaries";
    static final String OPEN_RUNS = "openRuns";

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

    /** One event as stored in its run item: what the fold needs, plus the store-clock time it was applied. */
    static AttributeValue event(RunEvent e, Instant appliedAt) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("s", s(e.state().name()));
        m.put("ss", s(e.sourceState()));
        m.put("t", s(e.eventTime().toString()));
        if (e.startedAt() != null) {
            m.put("st", s(e.startedAt().toString()));
        }
        if (e.endedAt() != null) {
            m.put("en", s(e.endedAt().toString()));
        }
        if (e.error() != null) {
            m.put("er", s(e.error()));
        }
        m.put("a", s(appliedAt.toString()));
        return AttributeValue.fromM(m);
    }

    /** Whether the run's sort time is fixed by a start or an end (and not by its latest event's time). */
    static boolean timed(Run run) {
        return run.startedAt() != null || run.terminal();
    }

    /** Sets t/d (and k/kd when timed) of a whole run item written with PutItem. */
    static void putSortTime(Map<String, AttributeValue> item, Run run) {
        Instant sort = run.sortTime();
        item.put(TIME, n(sort.toEpochMilli()));
        if (timed(run)) {
            item.put(DAY_BUCKET, s(day(sort)));
            item.put(TIMED, n(sort.toEpochMilli()));
            item.put(TIMED_DAY, s(day(sort)));
        } else {
            item.put(DAY_BUCKET, s(UNTIMED));
        }
    }

    static String day(Instant t) {
        return DAY + t.atZone(ZoneOffset.UTC).toLocalDate();
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
    static Run run(Map<String, AttributeValue> item, Duration retention) {
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
            r = RunFold.apply(r, key, e.toRunEvent(job, key.runId()), e.appliedAt(), retention).run();
        }
        Instant expires = fromNanos(Long.parseLong(item.get(EXPIRES_NANOS).n()));
        return new Run(key, r.state(), r.sourceState(), r.startedAt(), r.endedAt(), r.error(), r.notes(),
                instant(item.get(FIRST_SEEN).s()), instant(item.get(LAST_UPDATED).s()), r.eventCount(),
                r.lastEventTime(), expires);
    }

    record StoredEvent(String id, RunState state, String sourceState, Instant eventTime, Instant startedAt,
                       Instant endedAt, String error, Instant appliedAt) {
        static StoredEvent of(String id, Map<String, AttributeValue> m) {
            return new StoredEvent(id, RunState.valueOf(m.get("s").s()), m.get("ss").s(), instant(m.get("t").s()),
                    time(m.get("st")), time(m.get("en")), m.containsKey("er") ? m.get("er").s() : null,
                    instant(m.get("a").s()));
        }

        RunEvent toRunEvent(JobKey job, String runId) {
            return new RunEvent(id, job, runId, state, sourceState, eventTime, startedAt, endedAt, error);
        }
    }

    static AttributeValue recent(Run run) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("r", s(run.runId()));
        m.put("s", s(run.state().name()));
        if (run.startedAt() != null) {
            m.put("st", s(run.startedAt().toString()));
        }
        m.put("en", s(run.endedAt().toString()));
        // Sort time (start, else end) in epoch millis: a slot only takes a run at least as new as the one it holds.
        m.put("t", n(run.startedAt() != null ? run.startedAt().toEpochMilli() : run.endedAt().toEpochMilli()));
        if (run.error() != null) {
            m.put("er", s(run.error()));
        }
        return AttributeValue.fromM(m);
    }

    static JobSummaryState summaryState(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return JobSummaryState.empty();
        }
        Map<Integer, RecentRun> slots = new TreeMap<>();
        for (int i = 0; i < JobSummaryState.SLOTS; i++) {
            AttributeValue v = item.get(slotAttribute(i));
            if (v != null && v.hasM()) {
                Map<String, AttributeValue> m = v.m();
                slots.put(i, new RecentRun(m.get("r").s(), RunState.valueOf(m.get("s").s()), time(m.get("st")),
                        Instant.parse(m.get("en").s()), m.containsKey("er") ? m.get("er").s() : null));
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
        return v == null || v.s() == null ? null : instant(v.s());
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
