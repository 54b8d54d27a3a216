package io.jobwatch.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Counts DynamoDB requests and the request units they are billed, without touching the store code: an SDK
 * {@link ExecutionInterceptor} adds {@code ReturnConsumedCapacity=TOTAL} to every request and sums the
 * {@code ConsumedCapacity} of every response.
 *
 * <p>What dynalite reports and what this adds, so the units are the ones on-demand DynamoDB bills:
 * <ul>
 * <li>Base-table units come from dynalite's {@code ConsumedCapacity}, which it computes the way DynamoDB does
 * (writes: 1 unit per started KB of the larger of the old and new item; reads: 1 per started 4 KB, half when
 * eventually consistent; Query/Scan: the page's item sizes summed, then rounded up per 4 KB).</li>
 * <li>Index writes: dynalite reports the base table only, DynamoDB also bills the writes to secondary indexes (LSI
 * and GSI alike). For a table registered with {@link #billIndexes} the meter learns the indexes (key schema and
 * projection) by DescribeTable, reads the item before each write and after it succeeds — consistent GetItems on a
 * client of its own, neither intercepted nor counted; a PutItem's after image is its item, a DeleteItem's none — and
 * adds what {@link TableIndexes#writes} says each index is written (0, 1 or 2 writes of the entry's projected size
 * + 100 bytes, 1 unit per started KB). Writers of the same item at once could see each other's images: the counted
 * ingest applies one event at a time.</li>
 * <li>A read that returns nothing is billed the minimum (0.5 unit eventually consistent, 1 strongly); dynalite
 * reports 0 there.</li>
 * <li>A conditional write whose condition fails is billed by DynamoDB (the size of the existing item); the failure
 * carries no capacity, so it is counted as 1 unit (run items are around 1 KB); it writes no index.</li>
 * </ul>
 */
final class CapacityMeter implements ExecutionInterceptor {
    /** The items a write touches, read before it is sent (per execution, not per retry). */
    private static final ExecutionAttribute<List<Target>> TARGETS = new ExecutionAttribute<>("jobwatch.bench.indexTargets");

    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder indexWriteUnits = new DoubleAdder();
    private final Map<String, DoubleAdder> unitsByIndex = new ConcurrentHashMap<>();
    private final AtomicLong failedConditions = new AtomicLong();
    private final Map<String, Billed> billed = new ConcurrentHashMap<>();

    /** A table whose index writes are counted, and the client that reads its items for the meter. */
    private record Billed(TableIndexes indexes, DynamoDbClient reader) {
    }

    /**
     * One item a write touches: its image before the write; after it, {@code after} when the request says it (a put:
     * its item, a delete: none), else read once the write succeeded.
     */
    private record Target(Billed table, Map<String, AttributeValue> key, Map<String, AttributeValue> before,
                          Map<String, AttributeValue> after, boolean afterKnown) {
    }

    /**
     * Counts the index writes of {@code table} from now on, learning its indexes by DescribeTable.
     *
     * @param reader a client of the same endpoint without this meter: the meter's own reads are not the store's
     */
    void billIndexes(String table, DynamoDbClient reader) {
        billed.put(table, new Billed(TableIndexes.describe(reader, table), reader));
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest r = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (r instanceof GetItemRequest g) {
            return g.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof PutItemRequest p) {
            return p.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof UpdateItemRequest u) {
            return u.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof DeleteItemRequest d) {
            return d.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof QueryRequest q) {
            return q.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof ScanRequest s) {
            return s.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchWriteItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(total).build();
        } else if (r instanceof BatchGetItemRequest b) {
            return b.toBuilder().returnConsumedCapacity(total).build();
        }
        return r;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        requests.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new AtomicLong())
                .incrementAndGet();
        if (billed.isEmpty()) {
            return;
        }
        SdkRequest r = context.request();
        List<Target> targets = new ArrayList<>();
        if (r instanceof PutItemRequest p) {
            target(targets, p.tableName(), p.item(), p.item(), true);
        } else if (r instanceof UpdateItemRequest u) {
            target(targets, u.tableName(), u.key(), null, false);
        } else if (r instanceof DeleteItemRequest d) {
            target(targets, d.tableName(), d.key(), null, true);
        } else if (r instanceof BatchWriteItemRequest b) {
            b.requestItems().forEach((table, writes) -> {
                for (WriteRequest w : writes) {
                    if (w.putRequest() != null) {
                        target(targets, table, w.putRequest().item(), w.putRequest().item(), true);
                    } else if (w.deleteRequest() != null) {
                        target(targets, table, w.deleteRequest().key(), null, true);
                    }
                }
            });
        }
        if (!targets.isEmpty()) {
            attributes.putAttribute(TARGETS, targets);
        }
    }

    private void target(List<Target> targets, String table, Map<String, AttributeValue> item,
                        Map<String, AttributeValue> after, boolean afterKnown) {
        Billed t = billed.get(table);
        if (t != null) {
            Map<String, AttributeValue> key = t.indexes().key(item);
            targets.add(new Target(t, key, read(t, key), after, afterKnown));
        }
    }

    private static Map<String, AttributeValue> read(Billed t, Map<String, AttributeValue> key) {
        GetItemResponse r = t.reader().getItem(b -> b.tableName(t.indexes().table()).key(key).consistentRead(true));
        return r.hasItem() ? r.item() : null;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        Object response = context.response();
        SdkRequest request = context.request();
        if (response instanceof GetItemResponse g) {
            boolean consistent = Boolean.TRUE.equals(((GetItemRequest) request).consistentRead());
            read(g.consumedCapacity(), consistent);
        } else if (response instanceof QueryResponse q) {
            QueryRequest qr = (QueryRequest) request;
            read(q.consumedCapacity(), Boolean.TRUE.equals(qr.consistentRead()));
        } else if (response instanceof ScanResponse s) {
            read(s.consumedCapacity(), Boolean.TRUE.equals(((ScanRequest) request).consistentRead()));
        } else if (response instanceof BatchGetItemResponse b) {
            b.consumedCapacity().forEach(c -> read(c, false));
        } else if (response instanceof UpdateItemResponse u) {
            write(u.consumedCapacity());
        } else if (response instanceof PutItemResponse p) {
            write(p.consumedCapacity());
        } else if (response instanceof DeleteItemResponse d) {
            write(d.consumedCapacity());
        } else if (response instanceof BatchWriteItemResponse b) {
            b.consumedCapacity().forEach(c -> writeUnits.add(c.capacityUnits() == null ? 0 : c.capacityUnits()));
            // Items DynamoDB left unprocessed were not written: they write no index either.
            Set<Map<String, AttributeValue>> unprocessed = new HashSet<>();
            b.unprocessedItems().forEach((table, writes) -> writes.forEach(w -> unprocessed.add(
                    w.putRequest() != null ? w.putRequest().item() : w.deleteRequest().key())));
            List<Target> targets = attributes.getAttribute(TARGETS);
            if (targets != null && !unprocessed.isEmpty()) {
                attributes.putAttribute(TARGETS, targets.stream().filter(t -> unprocessed.stream()
                        .noneMatch(u -> t.table().indexes().key(u).equals(t.key()))).toList());
            }
        }
        List<Target> targets = attributes.getAttribute(TARGETS);
        if (targets != null) {
            for (Target t : targets) {
                Map<String, AttributeValue> after = t.afterKnown() ? t.after() : read(t.table(), t.key());
                for (TableIndexes.IndexWrite w : t.table().indexes().writes(t.before(), after)) {
                    indexWriteUnits.add(w.units());
                    writeUnits.add(w.units());
                    unitsByIndex.computeIfAbsent(w.index(), k -> new DoubleAdder()).add(w.units());
                }
            }
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        // A failed write changed no item: no index is written.
        if (context.exception() instanceof ConditionalCheckFailedException) {
            failedConditions.incrementAndGet();
            writeUnits.add(1);
        }
    }

    private void read(ConsumedCapacity c, boolean consistent) {
        double units = c == null || c.capacityUnits() == null ? 0 : c.capacityUnits();
        readUnits.add(Math.max(units, consistent ? 1 : 0.5));
    }

    private void write(ConsumedCapacity c) {
        writeUnits.add(c == null || c.capacityUnits() == null ? 1 : Math.max(1, c.capacityUnits()));
    }

    /** A snapshot of everything counted so far. */
    Usage usage() {
        Map<String, Long> ops = new TreeMap<>();
        requests.forEach((k, v) -> ops.put(k, v.get()));
        Map<String, Double> byIndex = new TreeMap<>();
        unitsByIndex.forEach((k, v) -> byIndex.put(k, v.sum()));
        return new Usage(ops, readUnits.sum(), writeUnits.sum(), indexWriteUnits.sum(), byIndex,
                failedConditions.get());
    }

    void reset() {
        requests.clear();
        readUnits.reset();
        writeUnits.reset();
        indexWriteUnits.reset();
        unitsByIndex.clear();
        failedConditions.set(0);
    }

    /**
     * Requests by operation and request units.
     *
     * @param writeUnits      all write request units, index writes included
     * @param indexWriteUnits the part of {@code writeUnits} spent on secondary indexes
     * @param byIndex         {@code indexWriteUnits} by index name (tables with the same indexes summed)
     */
    record Usage(Map<String, Long> requests, double readUnits, double writeUnits, double indexWriteUnits,
                 Map<String, Double> byIndex, long failedConditions) {
        static final Usage ZERO = new Usage(Map.of(), 0, 0, 0, Map.of(), 0);

        Usage {
            requests = Collections.unmodifiableMap(new TreeMap<>(requests));
            byIndex = Collections.unmodifiableMap(new TreeMap<>(byIndex));
        }

        Usage plus(Usage more) {
            Map<String, Long> ops = new TreeMap<>(requests);
            more.requests.forEach((k, v) -> ops.merge(k, v, Long::sum));
            Map<String, Double> idx = new TreeMap<>(byIndex);
            more.byIndex.forEach((k, v) -> idx.merge(k, v, Double::sum));
            return new Usage(ops, readUnits + more.readUnits, writeUnits + more.writeUnits,
                    indexWriteUnits + more.indexWriteUnits, idx, failedConditions + more.failedConditions);
        }

        long count(String op) {
            return requests.getOrDefault(op, 0L);
        }

        long total() {
            return requests.values().stream().mapToLong(Long::longValue).sum();
        }

        long reads() {
            return count("GetItem") + count("BatchGetItem") + count("Query") + count("Scan");
        }

        long writes() {
            return count("PutItem") + count("UpdateItem") + count("DeleteItem") + count("BatchWriteItem");
        }

        Usage minus(Usage before) {
            Map<String, Long> ops = new TreeMap<>(requests);
            before.requests.forEach((k, v) -> ops.merge(k, -v, Long::sum));
            ops.values().removeIf(v -> v == 0);
            Map<String, Double> idx = new TreeMap<>(byIndex);
            before.byIndex.forEach((k, v) -> idx.merge(k, -v, Double::sum));
            idx.values().removeIf(v -> v == 0);
            return new Usage(ops, readUnits - before.readUnits, writeUnits - before.writeUnits,
                    indexWriteUnits - before.indexWriteUnits, idx, failedConditions - before.failedConditions);
        }
    }
}
