package io.jobwatch.store.dynamodb;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.RollupLine;
import io.jobwatch.core.store.RollupLine.IncidentLine;
import io.jobwatch.core.store.RollupLine.RunLine;
import io.jobwatch.core.store.RollupRecords;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * {@link RollupRecords} in the run table (its own items, in no index; see this module's README, "Daily rollups"):
 * storage only, the rules are core's {@code Rollups}.
 *
 * <ul>
 * <li>A day is the partition {@code ROLLUP#yyyy-mm-dd}. The daily pass's lines are a few large items
 * {@code C#nnnn} (chunks of up to {@value #CHUNK_BYTES} bytes; one attribute per job, its lines in one string), written
 * with one PutItem each: the whole estate's day for a few write units instead of one item per job. A single line is an
 * attribute of the item {@code L#<jobId>}, written with one conditional UpdateItem (kept only if its version is
 * greater: the value starts with the version in 4 fixed-width base-62 digits, so text order is version order).</li>
 * <li>Open incident intervals: {@code ROLLUP#OPEN} / {@code <jobId>#<kind>}; days changed after the pass:
 * {@code ROLLUP#CHANGED} / day; the last pass: {@code ROLLUP#PASS} / {@code PASS}.</li>
 * </ul>
 * Items carry {@code ttl} (the day's expiry) and nothing the table's indexes are keyed on.
 */
public final class DynamoRollupRecords implements RollupRecords {
    /** Largest chunk of a day's materialized lines: far below the 400 KB item limit, a few write units each. */
    static final int CHUNK_BYTES = 64 * 1024;

    static final String DAY = "ROLLUP#";
    static final String CHUNK = "C#";
    static final String LINES = "L#";
    static final String OPEN_PK = "ROLLUP#OPEN";
    static final String CHANGED_PK = "ROLLUP#CHANGED";
    static final String PASS_PK = "ROLLUP#PASS";
    static final String JOB_ATTR = "j:";
    static final String RUN_ATTR = "r";
    static final String INCIDENT_ATTR = "i";
    private static final String PK = "pk";
    private static final String SK = "sk";
    private static final String TTL = "ttl";
    private static final String B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final DateTimeFormatter FIXED = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final DynamoDbClient client;
    private final String table;

    public DynamoRollupRecords(DynamoDbClient client, String table) {
        this.client = client;
        this.table = table;
    }

    // ---- days from the pass --------------------------------------------------------------------------------------

    @Override
    public void putDay(LocalDate day, List<JobLines> jobs, Instant expiresAt) {
        List<Map<String, AttributeValue>> chunks = new ArrayList<>();
        Map<String, AttributeValue> chunk = null;
        int size = 0;
        for (JobLines j : jobs) {
            StringBuilder v = new StringBuilder(j.lines().size() * 16);
            for (RunLine l : j.lines()) {
                if (v.length() > 0) {
                    v.append(' ');
                }
                v.append(l.key()).append('/').append(version(l.version())).append(stateChar(l.state()));
                if (l.seconds() != null) {
                    v.append(b62(l.seconds()));
                }
            }
            String name = JOB_ATTR + j.job().id();
            int bytes = utf8(name) + v.length();
            if (chunk == null || size + bytes > CHUNK_BYTES) {
                chunk = new LinkedHashMap<>();
                chunks.add(chunk);
                size = 64;
            }
            chunk.put(name, AttributeValue.fromS(v.toString()));
            size += bytes;
        }
        List<String> old = chunkKeys(day);
        for (int i = 0; i < chunks.size(); i++) {
            Map<String, AttributeValue> item = chunks.get(i);
            item.put(PK, s(DAY + day));
            item.put(SK, s(chunkKey(i)));
            item.put(TTL, n(ttl(expiresAt)));
            call("write the rollup of " + day, () -> client.putItem(b -> b.tableName(table).item(item)));
        }
        for (String sk : old) {
            if (Integer.parseInt(sk.substring(CHUNK.length())) >= chunks.size()) {
                call("drop a rollup chunk of " + day, () -> client.deleteItem(b -> b.tableName(table)
                        .key(Map.of(PK, s(DAY + day), SK, s(sk)))));
            }
        }
    }

    private List<String> chunkKeys(LocalDate day) {
        List<String> out = new ArrayList<>();
        query(QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :c)")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(DAY + day), ":c", s(CHUNK)))
                .projectionExpression("#sk"), item -> out.add(item.get(SK).s()));
        return out;
    }

    private static String chunkKey(int i) {
        return CHUNK + String.format("%04d", i);
    }

    // ---- single lines --------------------------------------------------------------------------------------------

    @Override
    public void putLine(JobKey job, LocalDate day, RollupLine line, Instant expiresAt) {
        String attr;
        String value;
        if (line instanceof RunLine r) {
            attr = RUN_ATTR + r.key();
            value = version(r.version()) + stateChar(r.state()) + (r.seconds() == null ? "" : b62(r.seconds()));
        } else {
            IncidentLine i = (IncidentLine) line;
            attr = INCIDENT_ATTR + i.key();
            value = version(i.version()) + i.minutes() + "," + (i.resolved() ? 1 : 0) + "," + i.totalMinutes();
        }
        try {
            call("write a rollup line of " + job.id() + " on " + day, () -> client.updateItem(b -> b.tableName(table)
                    .key(Map.of(PK, s(DAY + day), SK, s(LINES + job.id())))
                    .updateExpression("SET #a = :v, #ttl = :ttl")
                    .conditionExpression("attribute_not_exists(#a) OR #a < :version")
                    .expressionAttributeNames(Map.of("#a", attr, "#ttl", TTL))
                    .expressionAttributeValues(Map.of(":v", s(value), ":version", s(version(line.version())),
                            ":ttl", n(ttl(expiresAt))))));
        } catch (ConditionalCheckFailedException kept) {
            // A line of this version or newer is there: nothing to do.
        }
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    @Override
    public void read(LocalDate from, LocalDate to, JobKey job, Instant now, Consumer<StoredDay> sink) {
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            Map<JobKey, List<RunLine>> mat = new LinkedHashMap<>();
            List<JobLine> lines = new ArrayList<>();
            long nowSeconds = now.getEpochSecond();
            Consumer<Map<String, AttributeValue>> item = it -> {
                AttributeValue ttl = it.get(TTL);
                if (ttl != null && Long.parseLong(ttl.n()) <= nowSeconds) {
                    return; // expired, not deleted yet
                }
                String sk = it.get(SK).s();
                if (sk.startsWith(CHUNK)) {
                    it.forEach((name, v) -> {
                        if (name.startsWith(JOB_ATTR)) {
                            JobKey key = JobKey.parse(name.substring(JOB_ATTR.length()));
                            mat.computeIfAbsent(key, k -> new ArrayList<>()).addAll(chunkLines(v.s()));
                        }
                    });
                } else if (sk.startsWith(LINES)) {
                    JobKey key = JobKey.parse(sk.substring(LINES.length()));
                    new TreeMap<>(it).forEach((name, v) -> {
                        if (name.startsWith(RUN_ATTR)) {
                            lines.add(new JobLine(key, runLine(name.substring(RUN_ATTR.length()), v.s())));
                        } else if (name.startsWith(INCIDENT_ATTR)) {
                            lines.add(new JobLine(key, incidentLine(name.substring(INCIDENT_ATTR.length()), v.s())));
                        }
                    });
                }
            };
            if (job == null) {
                query(QueryRequest.builder().tableName(table)
                        .keyConditionExpression("#pk = :pk").expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(DAY + d))), item);
            } else {
                // The chunks (only this job's attribute comes back) and the job's own lines.
                query(QueryRequest.builder().tableName(table)
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :c)")
                        .projectionExpression("#sk, #ttl, #j")
                        .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK, "#ttl", TTL, "#j", JOB_ATTR + job.id()))
                        .expressionAttributeValues(Map.of(":pk", s(DAY + d), ":c", s(CHUNK))), item);
                LocalDate day = d;
                var got = call("read the rollup lines of " + job.id(), () -> client.getItem(b -> b.tableName(table)
                        .key(Map.of(PK, s(DAY + day), SK, s(LINES + job.id())))));
                if (got.hasItem() && !got.item().isEmpty()) {
                    item.accept(got.item());
                }
            }
            if (!mat.isEmpty() || !lines.isEmpty()) {
                List<JobLines> jobs = new ArrayList<>();
                mat.forEach((k, v) -> jobs.add(new JobLines(k, v)));
                sink.accept(new StoredDay(d, jobs, lines));
            }
        }
    }

    private static List<RunLine> chunkLines(String value) {
        List<RunLine> out = new ArrayList<>();
        if (value.isEmpty()) {
            return out;
        }
        for (String l : value.split(" ")) {
            int slash = l.indexOf('/');
            out.add(runLine(l.substring(0, slash), l.substring(slash + 1)));
        }
        return out;
    }

    private static RunLine runLine(String key, String v) {
        long version = unb62(v.substring(0, 4));
        RunState state = state(v.charAt(4));
        Long seconds = v.length() > 5 ? unb62(v.substring(5)) : null;
        return new RunLine(key, version, state, seconds);
    }

    private static IncidentLine incidentLine(String key, String v) {
        String[] p = v.substring(4).split(",");
        return new IncidentLine(key, Long.parseLong(p[0]), p[1].equals("1"), Long.parseLong(p[2]));
    }

    // ---- open intervals, changed days, the pass -------------------------------------------------------------------

    @Override
    public void putOpen(OpenInterval o) {
        call("keep an open incident interval of " + o.job().id(), () -> client.putItem(b -> b.tableName(table).item(Map.of(
                PK, s(OPEN_PK), SK, s(o.job().id() + "#" + o.kind()), "inc", s(o.incident().toString()),
                "since", s(o.since().toString())))));
    }

    @Override
    public void removeOpen(OpenInterval o) {
        try {
            call("drop an open incident interval of " + o.job().id(), () -> client.deleteItem(b -> b.tableName(table)
                    .key(Map.of(PK, s(OPEN_PK), SK, s(o.job().id() + "#" + o.kind())))
                    .conditionExpression("inc = :i AND since = :s")
                    .expressionAttributeValues(Map.of(":i", s(o.incident().toString()), ":s", s(o.since().toString())))));
        } catch (ConditionalCheckFailedException replaced) {
            // Another interval (a newer incident, a reopen) is kept now.
        }
    }

    @Override
    public Optional<OpenInterval> open(JobKey job, String kind) {
        var got = call("read an open incident interval of " + job.id(), () -> client.getItem(b -> b.tableName(table)
                .consistentRead(true).key(Map.of(PK, s(OPEN_PK), SK, s(job.id() + "#" + kind)))));
        return got.hasItem() && !got.item().isEmpty() ? Optional.of(interval(got.item())) : Optional.empty();
    }

    @Override
    public List<OpenInterval> openIntervals() {
        List<OpenInterval> out = new ArrayList<>();
        query(QueryRequest.builder().tableName(table).keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK)).expressionAttributeValues(Map.of(":pk", s(OPEN_PK))),
                item -> out.add(interval(item)));
        return out;
    }

    private static OpenInterval interval(Map<String, AttributeValue> item) {
        String sk = item.get(SK).s();
        int hash = sk.lastIndexOf('#');
        return new OpenInterval(JobKey.parse(sk.substring(0, hash)), sk.substring(hash + 1),
                Instant.parse(item.get("inc").s()), Instant.parse(item.get("since").s()));
    }

    @Override
    public void markChanged(LocalDate day, Instant at) {
        try {
            call("note a changed rollup day", () -> client.updateItem(b -> b.tableName(table)
                    .key(Map.of(PK, s(CHANGED_PK), SK, s(day.toString())))
                    .updateExpression("SET #at = :at").conditionExpression("attribute_not_exists(#at) OR #at < :at")
                    .expressionAttributeNames(Map.of("#at", "at")).expressionAttributeValues(Map.of(":at", s(FIXED.format(at))))));
        } catch (ConditionalCheckFailedException later) {
            // A later note is there.
        }
    }

    @Override
    public List<ChangedDay> changedDays() {
        List<ChangedDay> out = new ArrayList<>();
        query(QueryRequest.builder().tableName(table).consistentRead(true).keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", PK)).expressionAttributeValues(Map.of(":pk", s(CHANGED_PK))),
                item -> out.add(new ChangedDay(LocalDate.parse(item.get(SK).s()), Instant.parse(item.get("at").s()))));
        return out;
    }

    @Override
    public void clearChanged(ChangedDay d) {
        try {
            call("forget a changed rollup day", () -> client.deleteItem(b -> b.tableName(table)
                    .key(Map.of(PK, s(CHANGED_PK), SK, s(d.day().toString())))
                    .conditionExpression("#at = :at").expressionAttributeNames(Map.of("#at", "at"))
                    .expressionAttributeValues(Map.of(":at", s(FIXED.format(d.at()))))));
        } catch (ConditionalCheckFailedException notedAgain) {
            // Changed again since: it stays for the next export.
        }
    }

    @Override
    public Optional<LocalDate> lastPass() {
        var got = call("read the last rollup pass", () -> client.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(PK, s(PASS_PK), SK, s("PASS")))));
        return got.hasItem() && got.item().containsKey("day") ? Optional.of(LocalDate.parse(got.item().get("day").s()))
                : Optional.empty();
    }

    @Override
    public void passed(LocalDate day) {
        try {
            call("record the rollup pass", () -> client.updateItem(b -> b.tableName(table)
                    .key(Map.of(PK, s(PASS_PK), SK, s("PASS")))
                    .updateExpression("SET #d = :d").conditionExpression("attribute_not_exists(#d) OR #d < :d")
                    .expressionAttributeNames(Map.of("#d", "day")).expressionAttributeValues(Map.of(":d", s(day.toString())))));
        } catch (ConditionalCheckFailedException later) {
            // A later pass is recorded.
        }
    }

    /** DynamoDB's TTL deletes expired items (reads skip those not deleted yet). */
    @Override
    public int purgeExpired(Instant now) {
        return 0;
    }

    // ---- codec and calls -----------------------------------------------------------------------------------------

    private void query(QueryRequest.Builder request, Consumer<Map<String, AttributeValue>> sink) {
        Map<String, AttributeValue> start = null;
        do {
            QueryRequest r = (start == null ? request : request.exclusiveStartKey(start)).build();
            QueryResponse page = call("query rollups", () -> client.query(r));
            page.items().forEach(sink);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    private <T> T call(String what, Supplier<T> request) {
        return DynamoRunRecords.call(table, what, request);
    }

    /** A version in 4 fixed-width base-62 digits. */
    static String version(long v) {
        char[] out = new char[4];
        for (int i = 3; i >= 0; i--) {
            out[i] = B62.charAt((int) (v % 62));
            v /= 62;
        }
        return new String(out);
    }

    static String b62(long v) {
        if (v == 0) {
            return "0";
        }
        StringBuilder out = new StringBuilder();
        while (v > 0) {
            out.append(B62.charAt((int) (v % 62)));
            v /= 62;
        }
        return out.reverse().toString();
    }

    static long unb62(String s) {
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            v = v * 62 + B62.indexOf(s.charAt(i));
        }
        return v;
    }

    private static char stateChar(RunState s) {
        if (s == null) {
            return '-';
        }
        return switch (s) {
            case SUCCEEDED -> 'S';
            case FAILED -> 'F';
            case TIMED_OUT -> 'T';
            case STOPPED -> 'X';
            default -> throw new IllegalArgumentException("not a finished state: " + s);
        };
    }

    private static RunState state(char c) {
        return switch (c) {
            case '-' -> null;
            case 'S' -> RunState.SUCCEEDED;
            case 'F' -> RunState.FAILED;
            case 'T' -> RunState.TIMED_OUT;
            case 'X' -> RunState.STOPPED;
            default -> throw new IllegalStateException("not a rollup state: " + c);
        };
    }

    private static long ttl(Instant t) {
        return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
