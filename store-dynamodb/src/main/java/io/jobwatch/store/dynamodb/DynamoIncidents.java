package io.jobwatch.store.dynamodb;

import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentActionJson;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.RunStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Incident records and the outbox of incident actions in the run store's table (single-table design; see README).
 * <ul>
 * <li>incident record: {@code pk = JOB#<jobId>}, {@code sk = INCIDENT#<kind>}; while OPEN it carries
 * {@code g = INCIDENT#OPEN} so {@link #open()} is one Query on the {@code summaries} index — never a Scan;</li>
 * <li>outbox entry: {@code pk = OUTBOX#<id>}, {@code sk = OUTBOX}, the id time-ordered; {@code g} is
 * {@code OUTBOX#PENDING} or {@code OUTBOX#PARKED}, so both lists are one Query on {@code summaries} in id (append)
 * order; a sent entry drops {@code g} and expires with the retention ({@code ttl}).</li>
 * </ul>
 * No transactions: each call is one PutItem/UpdateItem/GetItem/Query.
 */
public final class DynamoIncidents implements IncidentStore, Outbox {
    static final String INCIDENT = "INCIDENT#";
    static final String OPEN_FLAG = "INCIDENT#OPEN";
    static final String OUTBOX = "OUTBOX";
    static final String OUTBOX_PK = "OUTBOX#";
    static final String PENDING_FLAG = "OUTBOX#PENDING";
    static final String PARKED_FLAG = "OUTBOX#PARKED";

    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;
    private final Duration retention;
    private final AtomicLong sequence = new AtomicLong();

    public DynamoIncidents(DynamoDbClient client, String table, Clock clock, Duration retention) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
    }

    // ---- IncidentStore

    @Override
    public Optional<IncidentRecord> find(JobKey job, ProblemKind kind) {
        Map<String, AttributeValue> item = call(() -> client.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(Items.PK, s(Items.pk(job)), Items.SK, s(INCIDENT + kind.name()))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(record(item));
    }

    @Override
    public void save(IncidentRecord r) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Items.PK, s(Items.pk(r.job())));
        item.put(Items.SK, s(INCIDENT + r.kind().name()));
        item.put("job", s(r.job().id()));
        item.put("kind", s(r.kind().name()));
        item.put("cid", s(r.correlationId()));
        put(item, "sysId", r.sysId());
        put(item, "number", r.number());
        item.put("state", s(r.state().name()));
        item.put("openedAt", s(r.openedAt().toString()));
        item.put("updatedAt", s(r.updatedAt().toString()));
        put(item, "resolvedAt", r.resolvedAt());
        item.put("fails", n(r.consecutiveFailures()));
        item.put("oks", n(r.consecutiveSuccesses()));
        put(item, "flipAt", r.lastFlipAt());
        put(item, "lastRun", r.lastRunId());
        if (r.open()) {
            item.put(Items.SUMMARY_FLAG, s(OPEN_FLAG));
        }
        call(() -> client.putItem(b -> b.tableName(table).item(item)));
    }

    @Override
    public List<IncidentRecord> open() {
        List<IncidentRecord> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : queryFlag(OPEN_FLAG)) {
            out.add(record(item));
        }
        return out;
    }

    private static IncidentRecord record(Map<String, AttributeValue> i) {
        return new IncidentRecord(JobKey.parse(str(i, "job")), ProblemKind.valueOf(str(i, "kind")), str(i, "cid"),
                str(i, "sysId"), str(i, "number"), IncidentRecord.State.valueOf(str(i, "state")), time(i, "openedAt"),
                time(i, "updatedAt"), time(i, "resolvedAt"), num(i, "fails"), num(i, "oks"), time(i, "flipAt"),
                str(i, "lastRun"));
    }

    // ---- Outbox

    @Override
    public OutboxEntry append(IncidentAction action, Instant at) {
        // Time-ordered ids keep append order per correlation id; the sequence breaks ties within a microsecond.
        Instant now = clock.instant();
        String id = String.format("%016d-%09d", now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000,
                sequence.incrementAndGet() % 1_000_000_000L);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Items.PK, s(OUTBOX_PK + id));
        item.put(Items.SK, s(OUTBOX));
        item.put(Items.SUMMARY_FLAG, s(PENDING_FLAG));
        item.put("cid", s(action.correlationId()));
        item.put("action", s(IncidentActionJson.write(action)));
        item.put("createdAt", s(at.toString()));
        item.put("attempts", n(0));
        item.put("nextAt", s(at.toString()));
        item.put("status", s(OutboxEntry.Status.PENDING.name()));
        item.put("rs", n(0));
        call(() -> client.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")));
        return new OutboxEntry(id, action, OutboxEntry.Status.PENDING, at, 0, at, null, 0, null, null, null);
    }

    @Override
    public List<OutboxEntry> pending() {
        return queryFlag(PENDING_FLAG).stream().map(DynamoIncidents::entry).toList();
    }

    @Override
    public List<OutboxEntry> parked() {
        return queryFlag(PARKED_FLAG).stream().map(DynamoIncidents::entry).toList();
    }

    @Override
    public Optional<OutboxEntry> find(String id) {
        Map<String, AttributeValue> item = call(() -> client.getItem(b -> b.tableName(table).consistentRead(true)
                .key(outboxKey(id)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(entry(item));
    }

    @Override
    public void markSent(String id, Instant at, String ticketNumber) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":sent", s(OutboxEntry.Status.SENT.name()));
        values.put(":at", s(at.toString()));
        values.put(":ttl", n(clock.instant().plus(retention).getEpochSecond()));
        String set = "SET #status = :sent, doneAt = :at, #ttl = :ttl";
        if (ticketNumber != null) {
            values.put(":ticket", s(ticketNumber));
            set += ", ticket = :ticket";
        }
        update(id, set + " REMOVE g", values);
    }

    @Override
    public void reschedule(String id, int attempts, Instant nextAttemptAt, String lastError) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":n", n(attempts));
        values.put(":next", s(nextAttemptAt.toString()));
        values.put(":pending", s(OutboxEntry.Status.PENDING.name()));
        String set = lastError == null ? "SET attempts = :n, nextAt = :next" : "SET attempts = :n, nextAt = :next, lastError = :err";
        if (lastError != null) {
            values.put(":err", s(lastError));
        }
        try {
            client.updateItem(b -> b.tableName(table).key(outboxKey(id)).updateExpression(set)
                    .conditionExpression("#status = :pending").expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            // Sent or parked in the meantime: nothing to reschedule (same as the SQLite outbox).
        } catch (SdkException e) {
            throw new RunStoreException("outbox in table " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void park(String id, Instant at, String reason, int responseStatus, String responseBody) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":parked", s(OutboxEntry.Status.PARKED.name()));
        values.put(":flag", s(PARKED_FLAG));
        values.put(":at", s(at.toString()));
        values.put(":rs", n(responseStatus));
        String set = "SET #status = :parked, g = :flag, doneAt = :at, rs = :rs";
        if (reason != null) {
            values.put(":err", s(reason));
            set += ", lastError = :err";
        }
        if (responseBody != null) {
            values.put(":body", s(responseBody));
            set += ", body = :body";
        }
        update(id, set, values);
    }

    private void update(String id, String expression, Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>();
        names.put("#status", "status");
        if (expression.contains("#ttl")) {
            names.put("#ttl", Items.TTL);
        }
        try {
            client.updateItem(b -> b.tableName(table).key(outboxKey(id)).updateExpression(expression)
                    .conditionExpression("attribute_exists(pk)").expressionAttributeNames(names)
                    .expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalArgumentException("no outbox entry " + id);
        } catch (SdkException e) {
            throw new RunStoreException("outbox in table " + table + ": " + e.getMessage(), e);
        }
    }

    private static OutboxEntry entry(Map<String, AttributeValue> i) {
        String id = str(i, Items.PK).substring(OUTBOX_PK.length());
        return new OutboxEntry(id, IncidentActionJson.read(str(i, "action")), OutboxEntry.Status.valueOf(str(i, "status")),
                time(i, "createdAt"), num(i, "attempts"), time(i, "nextAt"), str(i, "lastError"), num(i, "rs"),
                str(i, "body"), time(i, "doneAt"), str(i, "ticket"));
    }

    private static Map<String, AttributeValue> outboxKey(String id) {
        return Map.of(Items.PK, s(OUTBOX_PK + id), Items.SK, s(OUTBOX));
    }

    /** One paginated Query on the sparse {@code summaries} index, in key order. */
    private List<Map<String, AttributeValue>> queryFlag(String flag) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(Items.SUMMARIES)
                    .keyConditionExpression("g = :g").expressionAttributeValues(Map.of(":g", s(flag)));
            if (from != null) {
                q.exclusiveStartKey(from);
            }
            QueryResponse r = call(() -> client.query(q.build()));
            out.addAll(r.items());
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    private interface Call<T> {
        T run();
    }

    private <T> T call(Call<T> c) {
        try {
            return c.run();
        } catch (SdkException e) {
            throw new RunStoreException("incident store in table " + table + ": " + e.getMessage(), e);
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static void put(Map<String, AttributeValue> item, String name, Object value) {
        if (value != null) {
            item.put(name, s(value.toString()));
        }
    }

    private static String str(Map<String, AttributeValue> i, String name) {
        AttributeValue v = i.get(name);
        return v == null ? null : v.s();
    }

    private static Instant time(Map<String, AttributeValue> i, String name) {
        String v = str(i, name);
        return v == null ? null : Instant.parse(v);
    }

    private static int num(Map<String, AttributeValue> i, String name) {
        AttributeValue v = i.get(name);
        return v == null ? 0 : Integer.parseInt(v.n());
    }
}
