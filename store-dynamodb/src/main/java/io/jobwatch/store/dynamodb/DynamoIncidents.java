package io.jobwatch.store.dynamodb;

import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentActionJson;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentRef;
import io.jobwatch.core.incident.IncidentState;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.Incidents;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.RunStoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Incident records and the outbox of incident actions in the run store's table (single-table design; see README).
 * <ul>
 * <li>incident record: {@code pk = JOB#<jobId>}, {@code sk = INCIDENT#<kind>}, with its version {@code v} (saves are
 * one PutItem conditional on it), the actions decided with it until they are in the outbox ({@code pend}: a map from
 * the action's key to {@code {q: seq, a: action JSON}}), the runs noted ({@code noted}) and the recent tickets
 * ({@code tk}: openedAt → {@code {s, n}}); while OPEN it carries {@code g = INCIDENT#OPEN} so {@link #open()} is one
 * Query on the {@code summaries} index — never a Scan;</li>
 * <li>outbox entry: {@code pk = OUTBOX#<action key>}, {@code sk = OUTBOX}, {@code q} its place in its incident's order;
 * {@code g} is {@code OUTBOX#PENDING} (PENDING and SENDING) or {@code OUTBOX#PARKED}, so both lists are one Query on
 * {@code summaries}; a claim sets {@code owner} and {@code lease} (epoch ms) on condition that the entry is PENDING or
 * its lease lapsed; a sent entry drops {@code g} and expires with the retention ({@code ttl}).</li>
 * </ul>
 * No transactions: each call is one conditional PutItem/UpdateItem, a GetItem or a Query.
 */
public final class DynamoIncidents implements Incidents {
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
    private final Runnable onClose;

    /** The client belongs to the caller, who closes it. */
    public DynamoIncidents(DynamoDbClient client, String table, Clock clock, Duration retention) {
        this(client, table, clock, retention, () -> {
        });
    }

    /** @param onClose what {@link #close()} also does, e.g. {@code client::close} for a client of its own */
    public DynamoIncidents(DynamoDbClient client, String table, Clock clock, Duration retention, Runnable onClose) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
    }

    @Override
    public void close() {
        onClose.run();
    }

    // ---- IncidentStore

    private static Map<String, AttributeValue> recordKey(JobKey job, ProblemKind kind) {
        return Map.of(Items.PK, s(Items.pk(job)), Items.SK, s(INCIDENT + kind.name()));
    }

    @Override
    public Optional<IncidentState> load(JobKey job, ProblemKind kind) {
        Map<String, AttributeValue> item = call(() -> client.getItem(b -> b.tableName(table).consistentRead(true)
                .key(recordKey(job, kind)))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(state(item));
    }

    @Override
    public boolean save(IncidentState next, long expectedVersion) {
        IncidentRecord r = next.record();
        Map<String, AttributeValue> item = new HashMap<>(recordKey(r.job(), r.kind()));
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
        item.put("v", n(next.version()));
        Map<String, AttributeValue> pend = new HashMap<>();
        for (IncidentState.PendingAction p : next.pending()) {
            pend.put(p.key(), AttributeValue.fromM(Map.of("q", n(p.seq()), "a", s(IncidentActionJson.write(p.action())))));
        }
        item.put("pend", AttributeValue.fromM(pend));
        item.put("noted", AttributeValue.fromL(next.noted().stream().map(DynamoIncidents::s).toList()));
        Map<String, AttributeValue> tk = new HashMap<>();
        next.tickets().forEach((at, t) -> tk.put(at.toString(), ticket(t)));
        item.put("tk", AttributeValue.fromM(tk));
        if (r.open()) {
            item.put(Items.SUMMARY_FLAG, s(OPEN_FLAG));
        }
        try {
            call(() -> client.putItem(b -> {
                b.tableName(table).item(item);
                if (expectedVersion == 0) {
                    b.conditionExpression("attribute_not_exists(pk)");
                } else {
                    b.conditionExpression("v = :v").expressionAttributeValues(Map.of(":v", n(expectedVersion)));
                }
            }));
            return true;
        } catch (ConditionalCheckFailedException anotherWriterSavedFirst) {
            return false;
        }
    }

    @Override
    public void relayed(JobKey job, ProblemKind kind, Collection<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        names.put("#p", "pend");
        List<String> paths = new ArrayList<>();
        int i = 0;
        for (String key : keys) {
            names.put("#k" + i, key);
            paths.add("#p.#k" + i++);
        }
        try {
            call(() -> client.updateItem(b -> b.tableName(table).key(recordKey(job, kind))
                    .updateExpression("REMOVE " + String.join(", ", paths))
                    .conditionExpression("attribute_exists(#p)").expressionAttributeNames(names)));
        } catch (ConditionalCheckFailedException gone) {
            // nothing pending any more
        }
    }

    @Override
    public boolean rememberTicket(IncidentRef ref, IncidentState.Ticket ticket, Instant at) {
        Map<String, String> names = new HashMap<>(Map.of("#tk", "tk", "#oa", ref.openedAt().toString()));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":t", ticket(ticket), ":one", n(1)));
        // The version moves: a decision made from the state before this write saves again (its PutItem would drop it).
        String set = "SET #tk.#oa = :t ADD v :one";
        try {
            call(() -> client.updateItem(b -> b.tableName(table).key(recordKey(ref.job(), ref.kind()))
                    .updateExpression(set).conditionExpression("attribute_exists(#tk) AND attribute_not_exists(#tk.#oa)")
                    .expressionAttributeNames(names).expressionAttributeValues(values)));
        } catch (ConditionalCheckFailedException knownOrGone) {
            return false;
        }
        // On the record too when it is still that incident and has none (conditional: written once).
        Map<String, AttributeValue> v2 = new HashMap<>(Map.of(":oa", s(ref.openedAt().toString()),
                ":sys", s(ticket.sysId())));
        String set2 = "SET sysId = :sys";
        if (ticket.number() != null) {
            v2.put(":num", s(ticket.number()));
            set2 += ", #num = :num";
        }
        String update = set2;
        try {
            call(() -> client.updateItem(b -> b.tableName(table).key(recordKey(ref.job(), ref.kind()))
                    .updateExpression(update).conditionExpression("openedAt = :oa AND attribute_not_exists(sysId)")
                    .expressionAttributeNames(update.contains("#num") ? Map.of("#num", "number") : null)
                    .expressionAttributeValues(v2)));
        } catch (ConditionalCheckFailedException anotherIncidentOrKnown) {
            // the record moved on to a newer incident, or knew it
        }
        return true;
    }

    @Override
    public List<IncidentRecord> open() {
        List<IncidentRecord> out = new ArrayList<>();
        for (Map<String, AttributeValue> item : queryFlag(OPEN_FLAG)) {
            out.add(record(item));
        }
        out.sort(java.util.Comparator.comparing(IncidentRecord::openedAt).thenComparing(r -> r.job().id()));
        return out;
    }

    private static IncidentRecord record(Map<String, AttributeValue> i) {
        return new IncidentRecord(JobKey.parse(str(i, "job")), ProblemKind.valueOf(str(i, "kind")), str(i, "cid"),
                str(i, "sysId"), str(i, "number"), IncidentRecord.State.valueOf(str(i, "state")), time(i, "openedAt"),
                time(i, "updatedAt"), time(i, "resolvedAt"), num(i, "fails"), num(i, "oks"), time(i, "flipAt"),
                str(i, "lastRun"));
    }

    private static IncidentState state(Map<String, AttributeValue> i) {
        List<IncidentState.PendingAction> pending = new ArrayList<>();
        if (i.containsKey("pend")) {
            i.get("pend").m().forEach((key, v) -> pending.add(new IncidentState.PendingAction(key,
                    Long.parseLong(v.m().get("q").n()), IncidentActionJson.read(v.m().get("a").s()))));
        }
        pending.sort(java.util.Comparator.comparingLong(IncidentState.PendingAction::seq)
                .thenComparing(IncidentState.PendingAction::key));
        List<String> noted = i.containsKey("noted") ? i.get("noted").l().stream().map(AttributeValue::s).toList()
                : List.of();
        Map<Instant, IncidentState.Ticket> tickets = new HashMap<>();
        if (i.containsKey("tk")) {
            i.get("tk").m().forEach((at, t) -> tickets.put(Instant.parse(at), new IncidentState.Ticket(t.m().get("s").s(),
                    t.m().containsKey("n") ? t.m().get("n").s() : null)));
        }
        long version = i.containsKey("v") ? Long.parseLong(i.get("v").n()) : 1;
        return new IncidentState(record(i), version, pending, noted, tickets);
    }

    private static AttributeValue ticket(IncidentState.Ticket t) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("s", s(t.sysId()));
        if (t.number() != null) {
            m.put("n", s(t.number()));
        }
        return AttributeValue.fromM(m);
    }

    // ---- Outbox

    @Override
    public OutboxEntry append(String id, long seq, IncidentAction action, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Items.PK, s(OUTBOX_PK + id));
        item.put(Items.SK, s(OUTBOX));
        item.put(Items.SUMMARY_FLAG, s(PENDING_FLAG));
        item.put("cid", s(action.correlationId()));
        item.put("q", n(seq));
        item.put("action", s(IncidentActionJson.write(action)));
        item.put("createdAt", s(at.toString()));
        item.put("attempts", n(0));
        item.put("nextAt", s(at.toString()));
        item.put("status", s(OutboxEntry.Status.PENDING.name()));
        item.put("rs", n(0));
        try {
            call(() -> client.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(pk)")));
            return OutboxEntry.appended(id, seq, action, at);
        } catch (ConditionalCheckFailedException exists) {
            return find(id).orElseThrow(() -> new IllegalStateException("outbox entry " + id + " vanished"));
        }
    }

    @Override
    public List<OutboxEntry> pending() {
        return queryFlag(PENDING_FLAG).stream().map(DynamoIncidents::entry).sorted(java.util.Comparator
                .comparing(OutboxEntry::correlationId).thenComparingLong(OutboxEntry::seq)
                .thenComparing(OutboxEntry::id)).toList();
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
    public boolean claim(String id, String owner, Instant now, Instant leaseUntil) {
        return conditional(id, "SET #status = :sending, #owner = :o, lease = :until",
                "#status = :pending OR (#status = :sending AND lease <= :now)",
                Map.of(":sending", s(OutboxEntry.Status.SENDING.name()), ":pending", s(OutboxEntry.Status.PENDING.name()),
                        ":o", s(owner), ":until", n(leaseUntil.toEpochMilli()), ":now", n(now.toEpochMilli())));
    }

    @Override
    public boolean markSent(String id, String owner, Instant at, String ticketNumber) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":sent", s(OutboxEntry.Status.SENT.name()));
        values.put(":at", s(at.toString()));
        values.put(":ttl", n(clock.instant().plus(retention).getEpochSecond()));
        String set = "SET #status = :sent, doneAt = :at, #ttl = :ttl";
        if (ticketNumber != null) {
            values.put(":ticket", s(ticketNumber));
            set += ", ticket = :ticket";
        }
        return held(id, owner, set + " REMOVE g, #owner, lease", values);
    }

    @Override
    public boolean reschedule(String id, String owner, int attempts, Instant nextAttemptAt, String lastError) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":n", n(attempts));
        values.put(":next", s(nextAttemptAt.toString()));
        values.put(":pending", s(OutboxEntry.Status.PENDING.name()));
        String set = "SET #status = :pending, attempts = :n, nextAt = :next";
        if (lastError != null) {
            values.put(":err", s(lastError));
            set += ", lastError = :err";
        }
        return held(id, owner, set + " REMOVE #owner, lease", values);
    }

    @Override
    public boolean park(String id, String owner, Instant at, String reason, int responseStatus, String responseBody) {
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
        return held(id, owner, set + " REMOVE #owner, lease", values);
    }

    /** An update by the claim's owner: only while the entry is SENDING under {@code owner}'s claim. */
    private boolean held(String id, String owner, String update, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> v = new HashMap<>(values);
        v.put(":sendingNow", s(OutboxEntry.Status.SENDING.name()));
        v.put(":me", s(owner));
        return conditional(id, update, "#status = :sendingNow AND #owner = :me", v);
    }

    private boolean conditional(String id, String update, String condition, Map<String, AttributeValue> values) {
        Map<String, String> names = new HashMap<>(Map.of("#status", "status", "#owner", "owner"));
        if (update.contains("#ttl")) {
            names.put("#ttl", Items.TTL);
        }
        try {
            call(() -> client.updateItem(b -> b.tableName(table).key(outboxKey(id)).updateExpression(update)
                    .conditionExpression("attribute_exists(pk) AND (" + condition + ")").expressionAttributeNames(names)
                    .expressionAttributeValues(values)));
            return true;
        } catch (ConditionalCheckFailedException notHeld) {
            return false;
        }
    }

    private static OutboxEntry entry(Map<String, AttributeValue> i) {
        String id = str(i, Items.PK).substring(OUTBOX_PK.length());
        AttributeValue lease = i.get("lease");
        AttributeValue q = i.get("q");
        return new OutboxEntry(id, q == null ? 0 : Long.parseLong(q.n()), IncidentActionJson.read(str(i, "action")),
                OutboxEntry.Status.valueOf(str(i, "status")), time(i, "createdAt"), num(i, "attempts"),
                time(i, "nextAt"), str(i, "lastError"), num(i, "rs"), str(i, "body"), time(i, "doneAt"),
                str(i, "ticket"), str(i, "owner"), lease == null ? null : Instant.ofEpochMilli(Long.parseLong(lease.n())));
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
        } catch (ConditionalCheckFailedException condition) {
            throw condition;
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
