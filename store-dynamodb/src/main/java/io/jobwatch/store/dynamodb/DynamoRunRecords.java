package io.jobwatch.store.dynamodb;

import static io.jobwatch.store.dynamodb.Items.BY_TIME;
import static io.jobwatch.store.dynamodb.Items.EVENT;
import static io.jobwatch.store.dynamodb.Items.EXPIRES_NANOS;
import static io.jobwatch.store.dynamodb.Items.FAIL_AT;
import static io.jobwatch.store.dynamodb.Items.FIRST_SEEN;
import static io.jobwatch.store.dynamodb.Items.LAST_UPDATED;
import static io.jobwatch.store.dynamodb.Items.OK_AT;
import static io.jobwatch.store.dynamodb.Items.OPEN;
import static io.jobwatch.store.dynamodb.Items.OPEN_FLAG;
import static io.jobwatch.store.dynamodb.Items.OPEN_RUNS;
import static io.jobwatch.store.dynamodb.Items.PARKED;
import static io.jobwatch.store.dynamodb.Items.PK;
import static io.jobwatch.store.dynamodb.Items.RUN;
import static io.jobwatch.store.dynamodb.Items.RUN_COUNT;
import static io.jobwatch.store.dynamodb.Items.SK;
import static io.jobwatch.store.dynamodb.Items.STREAK;
import static io.jobwatch.store.dynamodb.Items.SUMMARIES;
import static io.jobwatch.store.dynamodb.Items.SUMMARY;
import static io.jobwatch.store.dynamodb.Items.SUMMARY_FLAG;
import static io.jobwatch.store.dynamodb.Items.TERM;
import static io.jobwatch.store.dynamodb.Items.TIME;
import static io.jobwatch.store.dynamodb.Items.TIMED;
import static io.jobwatch.store.dynamodb.Items.TTL;
import static io.jobwatch.store.dynamodb.Items.n;
import static io.jobwatch.store.dynamodb.Items.s;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobBrief;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.JobSummaryState;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunRecords;
import io.jobwatch.core.store.RunStoreException;
import io.jobwatch.core.store.SummaryUpdate;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link RunRecords} on one DynamoDB table (single-table design, documented in this module's README.md): storage only,
 * the rules are core's {@link io.jobwatch.core.store.RecordRunStore}.
 *
 * <p>Hot path, no read before write: {@link #append} is one conditional {@code UpdateItem} that adds the event to its
 * run item (one attribute per event id, condition "not there yet and run not expired", ALL_OLD returned): the item is
 * event-sourced, its run is the fold of its events ({@link Items#run}), so the run before is the old item's fold and
 * nothing else is written. {@link #summarize} is one blind {@code UpdateItem} of the job summary (a slot chosen by
 * the run's sort time, ADD/SET counters) whose conditions give the same result as {@code JobSummaryState}'s rule.
 * Glue crawler pairing reads: {@link #lastRunUpTo} and {@link #firstRunAfter} are one strongly consistent
 * {@code Query} (Limit 1) each. TTL (attribute {@code ttl}) is enabled by the infrastructure; reads filter expired items
 * themselves because DynamoDB deletes them lazily.
 */
public final class DynamoRunRecords implements RunRecords {
    private final DynamoDbClient client;
    private final String table;
    private final Duration retention;
    private final Runnable onClose;
    private final DynamoRollupRecords rollups;

    /**
     * @param retention how long parked inputs are kept (their day buckets {@link #parked} reads back)
     * @param onClose   what {@link #close()} does (e.g. close a client the caller built for this store only)
     */
    public DynamoRunRecords(DynamoDbClient client, String table, Duration retention, Runnable onClose) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
        this.retention = Objects.requireNonNull(retention, "retention");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        this.rollups = new DynamoRollupRecords(client, table);
    }

    /** The daily rollups: their own items in this table ({@link DynamoRollupRecords}). */
    @Override
    public DynamoRollupRecords rollups() {
        return rollups;
    }

    /**
     * Creates the table with its indexes (on-demand billing) for tests and development; in AWS the infrastructure
     * creates it and enables TTL on {@code ttl}.
     */
    public static void createTable(DynamoDbClient client, String table) {
        client.createTable(CreateTableRequest.builder()
                .tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr(PK, ScalarAttributeType.S), attr(SK, ScalarAttributeType.S),
                        attr(TIME, ScalarAttributeType.N),
                        attr(SUMMARY_FLAG, ScalarAttributeType.S), attr(OPEN_FLAG, ScalarAttributeType.S),
                        attr(Items.BRIEF_FLAG, ScalarAttributeType.S))
                .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
                // byTime holds keys only: a run item is rewritten by each of its events, and an index that copied
                // it would be rewritten too (billed again); with keys only, DynamoDB writes an index entry only when
                // the run enters the index or its sort time moves. Its Queries fetch the items from the table in the
                // same request (runsOfJob; runsBetween, one job at a time). No index by day: see runsBetween.
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName(BY_TIME)
                        .keySchema(key(PK, KeyType.HASH), key(TIME, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()).build())
                .globalSecondaryIndexes(
                        GlobalSecondaryIndex.builder().indexName(SUMMARIES)
                                .keySchema(key(SUMMARY_FLAG, KeyType.HASH), key(PK, KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build(),
                        // Job summaries, with only the compact attributes the digest and the SLA checks read (read
                        // units count the projected size): see Items.briefAttributes().
                        GlobalSecondaryIndex.builder().indexName(Items.BRIEFS)
                                .keySchema(key(Items.BRIEF_FLAG, KeyType.HASH), key(PK, KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.INCLUDE)
                                        .nonKeyAttributes(Items.briefAttributes()).build()).build(),
                        // Sparse: only run items whose latest event was not terminal carry the attribute o.
                        // All attributes: the SLA check reads it every 5 minutes, and fetching its few dozen runs
                        // by key costs more read units a month (≥ 0.5 each) than the index copies' writes save.
                        GlobalSecondaryIndex.builder().indexName(OPEN_RUNS)
                                .keySchema(key(OPEN_FLAG, KeyType.HASH), key(TIME, KeyType.RANGE))
                                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                .build());
        client.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    private static AttributeDefinition attr(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    // ---- the apply path ------------------------------------------------------------------------------------------

    @Override
    public <T> T batch(Supplier<T> work) {
        return work.get(); // no cheap multi-item atomic write without transactions (2× the cost, none in dynalite)
    }

    /** The one write of the hot path: add the event to its run item unless it is there already. */
    @Override
    public Appended append(RunKey key, RunEvent e, Instant now, Instant expires, UnaryOperator<Run> fold) {
        Map<String, String> names = new HashMap<>();
        names.put("#e", EVENT + e.eventId());
        names.put("#fs", FIRST_SEEN);
        names.put("#lu", LAST_UPDATED);
        names.put("#xn", EXPIRES_NANOS);
        names.put("#ttl", TTL);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":ev", Items.event(e, now));
        values.put(":now", s(now.toString()));
        values.put(":nowN", n(Items.nanos(now)));
        values.put(":xn", n(Items.nanos(expires)));
        values.put(":ttl", n(Items.ttlSeconds(expires)));
        String update = "SET #e = :ev, #fs = if_not_exists(#fs, :now), #lu = :now, #xn = :xn, #ttl = :ttl, "
                + sortTimeUpdate(e, names, values);
        if (e.terminal()) {
            // The first terminal event to arrive wins, atomically: later different ones become notes.
            names.put("#term", TERM);
            values.put(":eid", s(e.eventId()));
            update += ", #term = if_not_exists(#term, :eid)";
        }
        // The run leaves the sparse open-runs index with its terminal event (a late non-terminal event may put a
        // finished run back; openRuns() folds each item and skips it).
        names.put("#o", OPEN_FLAG);
        if (e.terminal()) {
            update += " REMOVE #o";
        } else {
            values.put(":open", s(OPEN));
            update += ", #o = :open";
        }
        UpdateItemRequest request = UpdateItemRequest.builder()
                .tableName(table)
                .key(Items.runKey(key))
                .updateExpression(update)
                .conditionExpression("attribute_not_exists(#e) AND (attribute_not_exists(#xn) OR #xn > :nowN)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_OLD)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
                .build();
        try {
            UpdateItemResponse response = call("apply event " + e.eventId() + " to " + key,
                    () -> client.updateItem(request));
            Map<String, AttributeValue> old = response.hasAttributes() ? response.attributes() : Map.of();
            Run before = Items.run(old);
            Run stored = fold.apply(before);
            correctSortTime(key, e, old, stored, now);
            reopen(key, e, stored, now);
            return new Appended(before, stored, false);
        } catch (ConditionalCheckFailedException failed) {
            // DynamoDB returns the item that failed the condition; dynalite does not, so read it then (rare path).
            Map<String, AttributeValue> item = failed.hasItem() ? failed.item() : getItem(Items.runKey(key));
            if (item != null && item.containsKey(EVENT + e.eventId()) && Items.alive(item, now)) {
                Run run = Items.run(item);
                return new Appended(run, run, true);
            }
            // The stored run expired (TTL has not deleted it yet): this event starts it afresh.
            return replaceExpired(key, e, now, expires, fold);
        }
    }

    /**
     * The SET actions that keep t equal to the run's sort time without reading the item: a start sets it (a run has
     * one start; a different one is corrected below); an end sets it unless a start or an earlier end did ({@code k},
     * if_not_exists); an event with neither leaves a run alone once it has a t: an untimed run keeps its first event's
     * time (a lower bound of its sort time, which readers sort exactly). It used to follow each event's time, but t is
     * a key of the run indexes: every move rewrote their entries twice (a Batch job's SUBMITTED, PENDING, RUNNABLE and
     * STARTING each moved it).
     */
    private static String sortTimeUpdate(RunEvent e, Map<String, String> names, Map<String, AttributeValue> values) {
        names.put("#t", TIME);
        if (e.startedAt() != null || e.terminal()) {
            names.put("#k", TIMED);
        }
        if (e.startedAt() != null) {
            values.put(":t", n(e.startedAt().toEpochMilli()));
            return "#k = :t, #t = :t";
        }
        if (e.terminal()) {
            values.put(":t", n(RunFold.endOf(e).toEpochMilli()));
            return "#k = if_not_exists(#k, :t), #t = if_not_exists(#k, :t)";
        }
        values.put(":t", n(e.eventTime().toEpochMilli()));
        return "#t = if_not_exists(#t, :t)";
    }

    /**
     * The rare case the blind SET got wrong (two different starts, or two endings of one state with different end
     * times): one more write puts t/d at the fold's sort time, unless a later write (which checks again) came first.
     */
    private void correctSortTime(RunKey key, RunEvent e, Map<String, AttributeValue> old, Run run, Instant now) {
        if (!Items.timed(run)) {
            return;
        }
        AttributeValue oldK = old.get(TIMED);
        long written;
        if (e.startedAt() != null) {
            written = e.startedAt().toEpochMilli();
        } else if (oldK != null) {
            written = Long.parseLong(oldK.n());
        } else if (e.terminal()) {
            written = RunFold.endOf(e).toEpochMilli();
        } else {
            // A timed run without k: an item written before k existed. Re-key it.
            written = Long.MIN_VALUE;
        }
        Instant sort = run.sortTime();
        if (written == sort.toEpochMilli()) {
            return;
        }
        try {
            client.updateItem(b -> b.tableName(table).key(Items.runKey(key))
                    .updateExpression("SET #k = :t, #t = :t")
                    .conditionExpression("#lu = :now")
                    .expressionAttributeNames(Map.of("#k", TIMED, "#t", TIME, "#lu", LAST_UPDATED))
                    .expressionAttributeValues(Map.of(":t", n(sort.toEpochMilli()), ":now", s(now.toString()))));
        } catch (ConditionalCheckFailedException laterWriteCorrectsItself) {
            // a later event was applied meanwhile; its writer compared against the fuller run
        }
    }

    /**
     * The rare case the blind REMOVE of the open flag got wrong: a terminal event of an earlier attempt arrived after a
     * later attempt had started, so the run is still going. One more write puts it back in the open-runs index, unless
     * a later write (which decides again) came first.
     */
    private void reopen(RunKey key, RunEvent e, Run run, Instant now) {
        if (!e.terminal() || run.terminal()) {
            return;
        }
        try {
            client.updateItem(b -> b.tableName(table).key(Items.runKey(key))
                    .updateExpression("SET #o = :open")
                    .conditionExpression("#lu = :now")
                    .expressionAttributeNames(Map.of("#o", OPEN_FLAG, "#lu", LAST_UPDATED))
                    .expressionAttributeValues(Map.of(":open", s(OPEN), ":now", s(now.toString()))));
        } catch (ConditionalCheckFailedException laterWriteDecidesItself) {
            // a later event was applied meanwhile: its own write set or removed the flag
        }
    }

    private Appended replaceExpired(RunKey key, RunEvent e, Instant now, Instant expires, UnaryOperator<Run> fold) {
        Map<String, AttributeValue> item = new HashMap<>(Items.runKey(key));
        item.put(EVENT + e.eventId(), Items.event(e, now));
        item.put(FIRST_SEEN, s(now.toString()));
        item.put(LAST_UPDATED, s(now.toString()));
        item.put(EXPIRES_NANOS, n(Items.nanos(expires)));
        item.put(TTL, n(Items.ttlSeconds(expires)));
        Run stored = fold.apply(null);
        Items.putSortTime(item, stored);
        if (e.terminal()) {
            item.put(TERM, s(e.eventId()));
        } else {
            item.put(OPEN_FLAG, s(OPEN));
        }
        call("start run " + key + " afresh", () -> client.putItem(b -> b.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk) OR #xn <= :nowN")
                .expressionAttributeNames(Map.of("#pk", PK, "#xn", EXPIRES_NANOS))
                .expressionAttributeValues(Map.of(":nowN", n(Items.nanos(now))))));
        return new Appended(null, stored, false);
    }

    @Override
    public Optional<Run> lastRunUpTo(JobKey job, String prefix, String upTo) {
        QueryResponse r = call("pair a crawl of " + job, () -> client.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk BETWEEN :lo AND :hi")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(Items.pk(job)), ":lo", s(RUN + prefix), ":hi", s(RUN + upTo)))
                .scanIndexForward(false).limit(1).consistentRead(true).build()));
        return r.items().isEmpty() ? Optional.empty() : Optional.ofNullable(Items.run(r.items().get(0)));
    }

    @Override
    public Optional<Run> firstRunAfter(JobKey job, String prefix, String after) {
        QueryResponse r = call("pair a crawl of " + job, () -> client.query(QueryRequest.builder().tableName(table)
                .keyConditionExpression("#pk = :pk AND #sk > :after")
                .expressionAttributeNames(Map.of("#pk", PK, "#sk", SK))
                .expressionAttributeValues(Map.of(":pk", s(Items.pk(job)), ":after", s(RUN + after)))
                .limit(1).consistentRead(true).build()));
        if (r.items().isEmpty() || !r.items().get(0).get(SK).s().startsWith(RUN + prefix)) {
            return Optional.empty();
        }
        return Optional.ofNullable(Items.run(r.items().get(0)));
    }

    /**
     * Copies {@code from}'s events into {@code into} (if_not_exists per event: two writers copying give the same item)
     * and deletes {@code from} on condition that it still exists: the writer whose delete succeeds merged. Rare: only
     * a crawl whose end arrived before its Started (or at the same time).
     */
    @Override
    public Absorbed absorb(RunKey from, RunKey into, Instant now, Instant expires, BinaryOperator<Run> combine) {
        Map<String, AttributeValue> fromItem = getItem(Items.runKey(from));
        Map<String, AttributeValue> intoItem = getItem(Items.runKey(into));
        Run source = fromItem == null ? null : Items.run(fromItem);
        Run target = intoItem == null ? null : Items.run(intoItem);
        if (source == null || target == null) {
            return new Absorbed(target, target, false);
        }
        Run merged = combine.apply(target, source);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder("SET #lu = :now, #xn = :xn, #ttl = :ttl");
        names.put("#lu", LAST_UPDATED);
        names.put("#xn", EXPIRES_NANOS);
        names.put("#ttl", TTL);
        values.put(":now", s(now.toString()));
        values.put(":xn", n(Items.nanos(expires)));
        values.put(":ttl", n(Items.ttlSeconds(expires)));
        int i = 0;
        for (Map.Entry<String, AttributeValue> a : fromItem.entrySet()) {
            if (a.getKey().startsWith(EVENT) || a.getKey().equals(TERM)) {
                names.put("#a" + i, a.getKey());
                values.put(":a" + i, a.getValue());
                set.append(", #a").append(i).append(" = if_not_exists(#a").append(i).append(", :a").append(i).append(')');
                i++;
            }
        }
        Map<String, AttributeValue> sort = new HashMap<>();
        Items.putSortTime(sort, merged);
        for (Map.Entry<String, AttributeValue> a : sort.entrySet()) {
            names.put("#s" + i, a.getKey());
            values.put(":s" + i, a.getValue());
            set.append(", #s").append(i).append(" = :s").append(i);
            i++;
        }
        names.put("#o", OPEN_FLAG);
        String update = merged.terminal() ? set + " REMOVE #o" : set.toString();
        call("merge crawl " + from + " into " + into, () -> client.updateItem(b -> b.tableName(table)
                .key(Items.runKey(into)).updateExpression(update).expressionAttributeNames(names)
                .expressionAttributeValues(values)));
        try {
            call("merge crawl " + from + " into " + into, () -> client.deleteItem(b -> b.tableName(table)
                    .key(Items.runKey(from)).conditionExpression("attribute_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", PK))));
        } catch (ConditionalCheckFailedException mergedByAnotherWriter) {
            return new Absorbed(target, target, false);
        }
        return new Absorbed(target, Items.run(getItem(Items.runKey(into))), true);
    }

    @Override
    public void summarize(JobKey job, SummaryUpdate update, Instant now) {
        call("update the summary of " + job, () -> {
            if (update instanceof SummaryUpdate.Finished f && (f.counted() || f.run().attempt() > 1)
                    || update instanceof SummaryUpdate.AttemptEnded) {
                rewritten(update, now);
            } else if (update instanceof SummaryUpdate.Finished f) {
                finished(f.run(), now, true);
            } else if (update instanceof SummaryUpdate.Repeated r) {
                finished(r.run(), now, false);
            } else if (update instanceof SummaryUpdate.Refreshed r) {
                refreshed(update, r.run(), now, r.before());
            } else if (update instanceof SummaryUpdate.Rekeyed k) {
                refreshed(update, k.run(), now, k.orphan());
            }
            return null;
        });
    }

    // ---- job summary (blind writes) ------------------------------------------------------------------------------

    /**
     * A run finished: one UpdateItem puts it in its slot (full map for {@link #summary}, compact copy for the
     * summaries index, the slot's previous compact value kept for completeness) and counts it — only if the slot is
     * empty or holds an older run, and not this run already (so repeating it counts nothing twice). When the condition
     * fails, a second UpdateItem counts it without the slot unless the slot holds this run (a newer run holds the
     * slot: a rare hash collision, recorded in the slot's previous value so readers know the slots miss a run).
     */
    private void finished(Run run, Instant now, boolean countEvenIfANewerRunHoldsTheSlot) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder();
        StringBuilder add = new StringBuilder(" ADD #runs :one");
        names.put("#lu", LAST_UPDATED);
        names.put("#g", Items.BRIEF_FLAG);
        values.put(":now", s(now.toString()));
        values.put(":g", s(SUMMARY));
        set.append("SET #lu = :now, #g = :g");
        names.put("#runs", RUN_COUNT);
        values.put(":one", n(1));
        if (run.state() == RunState.SUCCEEDED) {
            names.put("#ok", OK_AT);
            names.put("#okS", Items.OK_SECONDS);
            values.put(":end", s(run.endedAt().toString()));
            values.put(":endS", n(run.endedAt().getEpochSecond()));
            values.put(":zero", n(0));
            names.put("#streak", STREAK);
            set.append(", #ok = :end, #okS = :endS, #streak = :zero");
        } else if (run.failed()) {
            names.put("#fail", FAIL_AT);
            names.put("#failS", Items.FAIL_SECONDS);
            values.put(":end", s(run.endedAt().toString()));
            values.put(":endS", n(run.endedAt().getEpochSecond()));
            names.put("#streak", STREAK);
            set.append(", #fail = :end, #failS = :endS");
            add.append(", #streak :one");
        }
        int slot = slotOf(run);
        Map<String, String> n1 = new HashMap<>(names);
        Map<String, AttributeValue> v1 = new HashMap<>(values);
        slotNames(slot, n1);
        v1.put(":recent", Items.recent(run));
        v1.put(":compact", s(Items.compact(run)));
        v1.put(":none", s(Items.NO_PREVIOUS));
        v1.put(":latest", s(Items.latest(run)));
        v1.put(":rid", s(run.runId()));
        v1.put(":t", n(sortMillis(run)));
        n1.put("#L", Items.LATEST);
        String withSlot = set + ", #slot = :recent, #c = :compact, #p = if_not_exists(#c, :none), #L = :latest" + add;
        try {
            client.updateItem(b -> b.tableName(table).key(Items.summaryKey(run.job()))
                    .updateExpression(withSlot)
                    .conditionExpression(NEW_RUN_FITS_SLOT)
                    .expressionAttributeNames(n1).expressionAttributeValues(v1));
            return;
        } catch (ConditionalCheckFailedException slotHoldsThisOrANewerRun) {
            if (!countEvenIfANewerRunHoldsTheSlot) {
                return; // a repeated terminal event: the newer run in the slot means this one was summarized before
            }
        }
        Map<String, String> n2 = new HashMap<>(names);
        Map<String, AttributeValue> v2 = new HashMap<>(values);
        slotNames(slot, n2);
        v2.put(":rid", s(run.runId()));
        v2.put(":compact", s(Items.compact(run)));
        try {
            // The slot keeps its newer run; its previous value becomes that run's, so readers treat the slot as
            // possibly missing runs up to it (this one is).
            client.updateItem(b -> b.tableName(table).key(Items.summaryKey(run.job()))
                    .updateExpression(set + ", #p = if_not_exists(#c, :compact)" + add)
                    .conditionExpression("attribute_exists(#slot) AND (attribute_not_exists(#slot.r) OR #slot.r <> :rid)")
                    .expressionAttributeNames(n2).expressionAttributeValues(v2));
        } catch (ConditionalCheckFailedException alreadySummarized) {
            // The slot holds this run: it was counted when it got there.
        }
    }

    /** Rounds of read, apply, conditional write before {@link #rewritten} gives up (each loss is another writer's). */
    private static final int REWRITE_ROUNDS = 10;

    /**
     * A run finished by a later attempt (a redrive, a retry; rare): the summary may hold the run from its earlier
     * attempt, in another slot when its sort time moved, and its outcome changes the counters in a way a blind write
     * cannot express. So: read the summary, apply core's rule ({@link SummaryUpdate#applyTo}), and write what changed,
     * conditional on the summary not having changed since the read (else read again).
     */
    private void rewritten(SummaryUpdate update, Instant now) {
        JobKey job = update.run().job();
        for (int round = 1; ; round++) {
            Map<String, AttributeValue> item = getItem(Items.summaryKey(job));
            JobSummaryState before = Items.summaryState(item);
            JobSummaryState after = update.applyTo(before, now);
            if (after.equals(before)) {
                return;
            }
            Map<String, String> names = new HashMap<>();
            Map<String, AttributeValue> values = new HashMap<>();
            List<String> set = new ArrayList<>();
            List<String> remove = new ArrayList<>();
            names.put("#lu", LAST_UPDATED);
            values.put(":now", s(now.toString()));
            set.add("#lu = :now");
            names.put("#g", Items.BRIEF_FLAG);
            values.put(":g", s(SUMMARY));
            set.add("#g = :g");
            for (int slot = 0; slot < JobSummaryState.SLOTS; slot++) {
                io.jobwatch.core.store.RecentRun was = before.slots().get(slot);
                io.jobwatch.core.store.RecentRun is = after.slots().get(slot);
                if (Objects.equals(was, is)) {
                    continue;
                }
                String i = String.format("%02d", slot);
                names.put("#s" + i, Items.slotAttribute(slot));
                names.put("#c" + i, Items.compactAttribute(slot));
                if (is == null) {
                    // the run moved to another slot: this one keeps its former sort time (see vacated)
                    values.put(":s" + i, AttributeValue.fromM(Map.of("t", n(was.sortTime().toEpochMilli()))));
                    set.add("#s" + i + " = :s" + i);
                    remove.add("#c" + i);
                    continue;
                }
                Run held = asRun(job, is, now);
                values.put(":s" + i, Items.recent(held));
                values.put(":c" + i, s(Items.compact(held)));
                set.add("#s" + i + " = :s" + i);
                set.add("#c" + i + " = :c" + i);
                if (was != null && !was.runId().equals(is.runId())) {
                    // another run took the slot: the one it held is the slot's previous (readers then know it is gone)
                    names.put("#p" + i, Items.previousAttribute(slot));
                    values.put(":p" + i, item.getOrDefault(Items.compactAttribute(slot), s(Items.NO_PREVIOUS)));
                    set.add("#p" + i + " = :p" + i);
                }
            }
            counter(set, remove, names, values, OK_AT, after.lastSuccessAt() == null ? null
                    : s(after.lastSuccessAt().toString()));
            counter(set, remove, names, values, Items.OK_SECONDS, after.lastSuccessAt() == null ? null
                    : n(after.lastSuccessAt().getEpochSecond()));
            counter(set, remove, names, values, FAIL_AT, after.lastFailureAt() == null ? null
                    : s(after.lastFailureAt().toString()));
            counter(set, remove, names, values, Items.FAIL_SECONDS, after.lastFailureAt() == null ? null
                    : n(after.lastFailureAt().getEpochSecond()));
            counter(set, remove, names, values, STREAK, n(after.consecutiveFailures()));
            counter(set, remove, names, values, RUN_COUNT, n(after.runCount()));
            if (update.run().terminal()) {
                // the last run to finish (an earlier attempt's late ending is not the run's end)
                names.put("#L", Items.LATEST);
                values.put(":L", s(Items.latest(update.run())));
                set.add("#L = :L");
            }
            String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE "
                    + String.join(", ", remove));
            AttributeValue oldLu = item == null ? null : item.get(LAST_UPDATED);
            String condition = oldLu == null ? "attribute_not_exists(#lu)" : "#lu = :oldLu";
            if (oldLu != null) {
                values.put(":oldLu", oldLu);
            }
            try {
                client.updateItem(b -> b.tableName(table).key(Items.summaryKey(job)).updateExpression(expression)
                        .conditionExpression(condition).expressionAttributeNames(names)
                        .expressionAttributeValues(values));
                return;
            } catch (ConditionalCheckFailedException changedMeanwhile) {
                if (round >= REWRITE_ROUNDS) {
                    throw new RunStoreException("cannot update the summary of " + job + ": it changed under "
                            + round + " attempts in a row", changedMeanwhile);
                }
            }
        }
    }

    private static void counter(List<String> set, List<String> remove, Map<String, String> names,
                                Map<String, AttributeValue> values, String attribute, AttributeValue value) {
        String name = "#" + attribute;
        names.put(name, attribute);
        if (value == null) {
            remove.add(name);
        } else {
            values.put(":" + attribute, value);
            set.add(name + " = :" + attribute);
        }
    }

    /** A summary's recent run as a finished run, for the slot codecs. */
    private static Run asRun(JobKey job, io.jobwatch.core.store.RecentRun r, Instant now) {
        return new Run(new RunKey(job, r.runId()), r.state(), r.state().name(), r.startedAt(), r.endedAt(), r.error(),
                List.of(), now, now, 1, r.endedAt(), now, r.attempt(), r.warning(), null, null);
    }

    /** Slot empty or holding an older run, and not this run already. */
    private static final String NEW_RUN_FITS_SLOT = "(attribute_not_exists(#slot) OR attribute_not_exists(#slot.t)"
            + " OR #slot.t <= :t) AND (attribute_not_exists(#slot.r) OR #slot.r <> :rid)";

    /**
     * A finished run learned something (e.g. a late start): rewrite its slot if the slot holds it (or is empty). When
     * the run moved slot (its sort time changed) or got a new id (a crawl paired late), one write empties the old slot
     * (it still holds the run under its former id) and takes the new one (it holds nothing newer). When that write's
     * condition fails — a newer run holds the new slot, or another run took the old one — core's rule decides
     * ({@link #rewritten}: read, apply, conditional write): the run leaves its old slot and stays out of a newer
     * run's, as it would had its start arrived first.
     */
    private void refreshed(SummaryUpdate update, Run run, Instant now, Run before) {
        int slot = slotOf(run);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        slotNames(slot, names);
        names.put("#lu", LAST_UPDATED);
        names.put("#g", Items.BRIEF_FLAG);
        values.put(":recent", Items.recent(run));
        values.put(":compact", s(Items.compact(run)));
        values.put(":now", s(now.toString()));
        values.put(":g", s(SUMMARY));
        values.put(":rid", s(run.runId()));
        String set = "SET #slot = :recent, #c = :compact, #lu = :now, #g = :g";
        int oldSlot = before == null || !before.terminal() || before.endedAt() == null ? -1 : slotOf(before);
        if (oldSlot >= 0 && oldSlot != slot) {
            Map<String, String> n2 = new HashMap<>(names);
            Map<String, AttributeValue> v2 = new HashMap<>(values);
            n2.put("#old", Items.slotAttribute(oldSlot));
            n2.put("#oldC", Items.compactAttribute(oldSlot));
            v2.put(":oldId", s(before.runId()));
            v2.put(":none", s(Items.NO_PREVIOUS));
            v2.put(":t", n(sortMillis(run)));
            v2.put(":vacated", vacated(before));
            try {
                // The old slot keeps the run's former sort time, not nothing: a repeated terminal event of an older
                // run that this one displaced (or kept out) must still find the slot taken, or it would count that
                // older run a second time (it was counted when it finished).
                client.updateItem(b -> b.tableName(table).key(Items.summaryKey(run.job()))
                        .updateExpression(set + ", #p = if_not_exists(#c, :none), #old = :vacated REMOVE #oldC")
                        .conditionExpression("#old.r = :oldId AND (attribute_not_exists(#slot)"
                                + " OR attribute_not_exists(#slot.t) OR #slot.r = :rid OR #slot.t <= :t)")
                        .expressionAttributeNames(n2).expressionAttributeValues(v2));
                return;
            } catch (ConditionalCheckFailedException slotTakenByAnotherRun) {
                // Rare (a late start into a slot a newer run holds): one read, then core's rule.
                rewritten(update, now);
                return;
            }
        }
        names.remove("#p");
        String condition = "attribute_not_exists(#slot) OR #slot.r = :rid";
        if (before != null && !before.runId().equals(run.runId())) {
            values.put(":oldId", s(before.runId()));
            condition += " OR #slot.r = :oldId";
        }
        String when = condition;
        try {
            client.updateItem(b -> b.tableName(table).key(Items.summaryKey(run.job()))
                    .updateExpression(set)
                    .conditionExpression(when)
                    .expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (ConditionalCheckFailedException anotherRunHoldsTheSlot) {
            // The run is not among the recent ones (a newer run took its slot): nothing to refresh.
        }
    }

    /** What a slot keeps when its run moves to another slot: the run's sort time there, no run. */
    private static AttributeValue vacated(Run formerly) {
        return AttributeValue.fromM(Map.of("t", n(sortMillis(formerly))));
    }

    private static int slotOf(Run run) {
        return JobSummaryState.slotOf(run.runId(), run.startedAt() != null ? run.startedAt() : run.endedAt());
    }

    private static void slotNames(int slot, Map<String, String> names) {
        names.put("#slot", Items.slotAttribute(slot));
        names.put("#c", Items.compactAttribute(slot));
        names.put("#p", Items.previousAttribute(slot));
    }

    private static long sortMillis(Run run) {
        return run.startedAt() != null ? run.startedAt().toEpochMilli() : run.endedAt().toEpochMilli();
    }

    // ---- reads ---------------------------------------------------------------------------------------------------

    @Override
    public Optional<Run> run(RunKey key) {
        try {
            Map<String, AttributeValue> item = getItem(Items.runKey(key));
            return item == null ? Optional.empty() : Optional.ofNullable(Items.run(item));
        } catch (SdkException e) {
            throw new RunStoreException("cannot read run " + key + " from table " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Run> runsOfJob(JobKey job, int limit, Instant now) {
        List<Run> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        // The index orders by t, the sort time (an untimed run: a lower bound of it); fetch a little more, sort exactly.
        int want = limit + 8;
        try {
            do {
                Map<String, AttributeValue> from = start;
                QueryResponse page = client.query(QueryRequest.builder().tableName(table).indexName(BY_TIME)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(Items.pk(job))))
                        .scanIndexForward(false).limit(Math.min(want, 500)).exclusiveStartKey(from)
                        // The index holds keys only; an LSI Query fetches the items from the table itself.
                        .select(Select.ALL_ATTRIBUTES)
                        // Consistent (an LSI allows it): incident judgement reads a job's runs right after writing one.
                        .consistentRead(true).build());
                for (Map<String, AttributeValue> item : page.items()) {
                    addLive(out, item, now, r -> true);
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            } while (start != null && out.size() < want);
        } catch (SdkException e) {
            throw new RunStoreException("cannot list runs of " + job + " from table " + table + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(Run::sortTime).thenComparing(Run::runId).reversed());
        return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
    }

    @Override
    public List<Run> openRuns(Instant now) {
        List<Run> out = new ArrayList<>();
        try {
            client.queryPaginator(QueryRequest.builder().tableName(table).indexName(OPEN_RUNS)
                    .keyConditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", OPEN_FLAG))
                    .expressionAttributeValues(Map.of(":o", s(OPEN))).build())
                    .items().forEach(item -> addLive(out, item, now, r -> !r.terminal()));
        } catch (SdkException e) {
            throw new RunStoreException("cannot list open runs from table " + table + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing((Run r) -> r.job().id()).thenComparing(Run::sortTime).thenComparing(Run::runId));
        return out;
    }

    @Override
    public Optional<JobSummary> summary(JobKey job) {
        try {
            Map<String, AttributeValue> item = getItem(Items.summaryKey(job));
            return Optional.ofNullable(Items.summaryState(item).toSummary(job));
        } catch (SdkException e) {
            throw new RunStoreException("cannot read the summary of " + job + " from table " + table + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The briefs index holds only the compact attributes ({@link #briefs}); the whole summaries are read by key
     * (BatchGetItem, 100 at a time) — for the dashboard and tools, not for the digest or the SLA checks.
     */
    @Override
    public List<JobSummary> summaries() {
        List<JobSummary> out = new ArrayList<>();
        try {
            List<Map<String, AttributeValue>> keys = new ArrayList<>();
            summariesIndex(item -> keys.add(Map.of(PK, item.get(PK), SK, item.get(SK))));
            for (Map<String, AttributeValue> item : getAll(keys)) {
                JobSummary summary = Items.summaryState(item).toSummary(Items.summaryJob(item));
                if (summary != null) {
                    out.add(summary);
                }
            }
        } catch (SdkException e) {
            throw new RunStoreException("cannot list job summaries from table " + table + ": " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * One paginated Query of the briefs index (compact attributes only); a job whose latest run is not the one
     * that finished last (out-of-order finish) is read whole by key.
     */
    @Override
    public List<JobBrief> briefs() {
        List<JobBrief> out = new ArrayList<>();
        try {
            List<Map<String, AttributeValue>> whole = new ArrayList<>();
            summariesIndex(item -> {
                JobBrief brief = Items.brief(item);
                if (brief != null) {
                    out.add(brief);
                } else {
                    whole.add(Map.of(PK, item.get(PK), SK, item.get(SK)));
                }
            });
            // Rare (a run finished out of order): GetItem, which the digest and SLA functions may already call.
            for (Map<String, AttributeValue> key : whole) {
                var response = client.getItem(b -> b.tableName(table).key(key));
                JobBrief brief = response.hasItem() && !response.item().isEmpty()
                        ? Items.briefOfItem(response.item()) : null;
                if (brief != null) {
                    out.add(brief);
                }
            }
        } catch (SdkException e) {
            throw new RunStoreException("cannot list job summaries from table " + table + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(b -> b.summary().job().id()));
        return out;
    }

    private void summariesIndex(Consumer<Map<String, AttributeValue>> sink) {
        client.queryPaginator(QueryRequest.builder().tableName(table).indexName(Items.BRIEFS)
                .keyConditionExpression("#g = :g")
                .expressionAttributeNames(Map.of("#g", Items.BRIEF_FLAG))
                .expressionAttributeValues(Map.of(":g", s(SUMMARY))).build())
                .items().forEach(sink);
    }

    /** Items by key (eventually consistent BatchGetItem, 100 keys a request), in key order (job id). */
    private List<Map<String, AttributeValue>> getAll(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        for (int i = 0; i < keys.size(); i += 100) {
            List<Map<String, AttributeValue>> batch = keys.subList(i, Math.min(keys.size(), i + 100));
            Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(batch).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> r = request;
                BatchGetItemResponse response = client.batchGetItem(b -> b.requestItems(r));
                out.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        out.sort(Comparator.comparing(item -> item.get(PK).s()));
        return out;
    }

    /**
     * Every job's runs in the window through its own byTime Query ({@code pk = job AND t BETWEEN from AND to}, one
     * per job and UTC day, {@value #JOB_QUERIES} at a time; the jobs are those with a summary — every job with a
     * finished run — and those with an open run), plus the open runs that have no start or end yet (their t is only
     * a lower bound of their sort time, so they are taken from the open runs, sorted exactly). Only the window's runs
     * are read, never a Scan; one day is held in memory at a time.
     *
     * <p>There was a byDay index for this (one Query per day across all jobs). It was dropped for its write units: a
     * run entered it with its first event and moved twice whenever its sort time did, 0.65 WRU per ingested event
     * (13% of the table's writes) for a read that runs once a day (the export and the rollups' pass) or when the
     * digest's summaries do not reach back far enough. The per-job Queries cost at least 0.5 read units each.
     */
    @Override
    public void runsBetween(Instant from, Instant to, Instant now, Consumer<Run> sink) {
        if (!from.isBefore(to)) {
            return;
        }
        LocalDate first = from.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate last = to.minusNanos(1).atZone(ZoneOffset.UTC).toLocalDate();
        // Millisecond keys: a run at 12:00:00.0004 has t = 12:00:00.000; the exact bounds are checked on the Run.
        long lo = Math.floorDiv(Items.nanos(from), 1_000_000L);
        long hi = Math.floorDiv(Items.nanos(to), 1_000_000L);
        try {
            java.util.SortedSet<String> jobs = new java.util.TreeSet<>();
            client.queryPaginator(QueryRequest.builder().tableName(table).indexName(Items.BRIEFS)
                            .keyConditionExpression("#g = :g").projectionExpression("#pk")
                            .expressionAttributeNames(Map.of("#g", Items.BRIEF_FLAG, "#pk", PK))
                            .expressionAttributeValues(Map.of(":g", s(SUMMARY))).build())
                    .items().forEach(item -> jobs.add(item.get(PK).s()));
            Map<LocalDate, List<Run>> untimed = new HashMap<>();
            for (Run run : openRuns(now)) {
                jobs.add(Items.pk(run.job()));
                if (!Items.timed(run) && inWindow(run, from, to)) {
                    untimed.computeIfAbsent(run.sortTime().atZone(ZoneOffset.UTC).toLocalDate(),
                            d -> new ArrayList<>()).add(run);
                }
            }
            List<String> pks = List.copyOf(jobs);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                    Math.max(1, Math.min(JOB_QUERIES, pks.size())), r -> {
                        Thread t = new Thread(r, "jobwatch-runs-between");
                        t.setDaemon(true);
                        return t;
                    });
            try {
                for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
                    long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                    long dayLo = Math.max(lo, dayStart);
                    long dayHi = Math.min(hi, dayStart + 86_400_000L - 1);
                    List<Run> runs = new ArrayList<>(untimed.getOrDefault(day, List.of()));
                    for (List<Run> ofJob : eachJob(pool, pks, pk -> runsOfJobBetween(pk, dayLo, dayHi, now))) {
                        for (Run run : ofJob) {
                            if (Items.timed(run) && inWindow(run, from, to)) {
                                runs.add(run);
                            }
                        }
                    }
                    runs.sort(Comparator.comparing(Run::sortTime).thenComparing(r -> r.job().id())
                            .thenComparing(Run::runId));
                    runs.forEach(sink);
                }
            } finally {
                pool.shutdownNow();
            }
        } catch (SdkException e) {
            throw new RunStoreException("cannot list runs between " + from + " and " + to + " from table " + table
                    + ": " + e.getMessage(), e);
        }
    }

    /** Per-job Queries a {@link #runsBetween} keeps in flight (each waits a round trip; the client is thread-safe). */
    static final int JOB_QUERIES = 8;

    /** {@code query} for every job on {@code pool} ({@value #JOB_QUERIES} threads), results in the jobs' order. */
    private static <T> List<T> eachJob(java.util.concurrent.ExecutorService pool, List<String> pks,
                                       java.util.function.Function<String, T> query) {
        try {
            List<java.util.concurrent.Future<T>> futures = new ArrayList<>(pks.size());
            for (String pk : pks) {
                futures.add(pool.submit(() -> query.apply(pk)));
            }
            List<T> out = new ArrayList<>(pks.size());
            for (java.util.concurrent.Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunStoreException("interrupted while listing runs", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new RunStoreException("cannot list runs: " + e.getCause(), e.getCause());
        }
    }

    /** Adds the run an item holds when it is unexpired at {@code now} and {@code keep} accepts it. */
    private static void addLive(List<Run> out, Map<String, AttributeValue> item, Instant now,
                                java.util.function.Predicate<Run> keep) {
        if (Items.alive(item, now)) {
            Run r = Items.run(item);
            if (r != null && keep.test(r)) {
                out.add(r);
            }
        }
    }

    private static boolean inWindow(Run run, Instant from, Instant to) {
        return !run.sortTime().isBefore(from) && run.sortTime().isBefore(to);
    }

    /**
     * The unexpired runs of one job with t in [lo, hi], folded: a Query of the keys-only byTime LSI, which fetches the
     * items from the table in the same request (eventually consistent: half the read units).
     */
    private List<Run> runsOfJobBetween(String pk, long lo, long hi, Instant now) {
        List<Run> out = new ArrayList<>();
        client.queryPaginator(QueryRequest.builder().tableName(table).indexName(BY_TIME)
                        .keyConditionExpression("#pk = :pk AND #t BETWEEN :lo AND :hi")
                        .expressionAttributeNames(Map.of("#pk", PK, "#t", TIME))
                        .expressionAttributeValues(Map.of(":pk", s(pk), ":lo", n(lo), ":hi", n(hi)))
                        .select(Select.ALL_ATTRIBUTES).build())
                .items().forEach(item -> addLive(out, item, now, r -> true));
        return out;
    }

    // ---- parked events -------------------------------------------------------------------------------------------

    @Override
    public ParkedEvent park(String kept, String reason, String source, Instant now, Instant expires) {
        String id = String.format("%020d", Items.nanos(now)) + "#" + UUID.randomUUID();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(PK, s(PARKED + now.atZone(ZoneOffset.UTC).toLocalDate()));
        item.put(SK, s(id));
        item.put("at", s(now.toString()));
        item.put("src", s(source));
        item.put("reason", s(reason));
        if (kept != null) {
            item.put("raw", s(kept));
        }
        item.put(EXPIRES_NANOS, n(Items.nanos(expires)));
        item.put(TTL, n(Items.ttlSeconds(expires)));
        try {
            client.putItem(b -> b.tableName(table).item(item));
        } catch (SdkException e) {
            throw new RunStoreException("cannot park an event from " + source + " in table " + table + ": "
                    + e.getMessage(), e);
        }
        return new ParkedEvent(id, now, source, reason, kept);
    }

    @Override
    public List<ParkedEvent> parked(int limit, Instant now) {
        List<ParkedEvent> out = new ArrayList<>();
        LocalDate today = now.atZone(ZoneOffset.UTC).toLocalDate();
        LocalDate oldest = now.minus(retention).atZone(ZoneOffset.UTC).toLocalDate();
        try {
            for (LocalDate day = today; !day.isBefore(oldest) && out.size() < limit; day = day.minusDays(1)) {
                for (Map<String, AttributeValue> item : client.queryPaginator(QueryRequest.builder().tableName(table)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", PK))
                        .expressionAttributeValues(Map.of(":pk", s(PARKED + day)))
                        .scanIndexForward(false).build()).items()) {
                    if (out.size() >= limit) {
                        break;
                    }
                    if (Items.alive(item, now)) {
                        out.add(new ParkedEvent(item.get(SK).s(), Instant.parse(item.get("at").s()),
                                item.get("src").s(), item.get("reason").s(),
                                item.containsKey("raw") ? item.get("raw").s() : null));
                    }
                }
            }
        } catch (SdkException e) {
            throw new RunStoreException("cannot list parked events from table " + table + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** DynamoDB's TTL deletes expired items (lazily); reads already skip them. Nothing to do here. */
    @Override
    public int purgeExpired(Instant now) {
        return 0;
    }

    @Override
    public void close() {
        onClose.run();
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private <T> T call(String what, Supplier<T> request) {
        return call(table, what, request);
    }

    /**
     * Runs one request on {@code table}; a failure of the back end becomes a RunStoreException saying what failed
     * (failed conditions pass through). Shared by the store's DynamoDB adapters.
     */
    static <T> T call(String table, String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException condition) {
            throw condition;
        } catch (SdkException e) {
            throw new RunStoreException("table " + table + ": cannot " + what + ": " + e.getMessage(), e);
        }
    }

    private Map<String, AttributeValue> getItem(Map<String, AttributeValue> key) {
        var response = client.getItem(b -> b.tableName(table).key(key).consistentRead(true));
        return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    }
}
