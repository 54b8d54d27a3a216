package io.jobwatch.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
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
 * <li>Index writes: dynalite reports the base table only, DynamoDB also bills every write to a secondary index
 * (LSI and GSI alike). {@code indexCopies} says how many indexes an item (by its key) is projected into; each such
 * write adds the same number of units again (projections are ALL and index keys never change once written, so the
 * index item is the base item; the 100-byte index overhead is ignored).</li>
 * <li>A read that returns nothing is billed the minimum (0.5 unit eventually consistent, 1 strongly); dynalite
 * reports 0 there.</li>
 * <li>A conditional write whose condition fails is billed by DynamoDB (the size of the existing item); the failure
 * carries no capacity, so it is counted as 1 unit (run items are around 1 KB).</li>
 * </ul>
 */
final class CapacityMeter implements ExecutionInterceptor {
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    private final DoubleAdder readUnits = new DoubleAdder();
    private final DoubleAdder writeUnits = new DoubleAdder();
    private final DoubleAdder indexWriteUnits = new DoubleAdder();
    private final AtomicLong failedConditions = new AtomicLong();
    private final Map<String, ToIntFunction<Map<String, AttributeValue>>> indexCopies;

    /** @param indexCopies per table name: how many secondary indexes hold the item with this key (0 if absent) */
    CapacityMeter(Map<String, ToIntFunction<Map<String, AttributeValue>>> indexCopies) {
        this.indexCopies = new ConcurrentHashMap<>(indexCopies);
    }

    void indexes(String table, ToIntFunction<Map<String, AttributeValue>> copies) {
        indexCopies.put(table, copies);
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
            UpdateItemRequest ur = (UpdateItemRequest) request;
            write(u.consumedCapacity(), ur.tableName(), ur.key());
        } else if (response instanceof PutItemResponse p) {
            PutItemRequest pr = (PutItemRequest) request;
            write(p.consumedCapacity(), pr.tableName(), pr.item());
        } else if (response instanceof DeleteItemResponse d) {
            DeleteItemRequest dr = (DeleteItemRequest) request;
            write(d.consumedCapacity(), dr.tableName(), dr.key());
        } else if (response instanceof BatchWriteItemResponse b) {
            b.consumedCapacity().forEach(c -> writeUnits.add(c.capacityUnits() == null ? 0 : c.capacityUnits()));
        }
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (context.exception() instanceof ConditionalCheckFailedException) {
            failedConditions.incrementAndGet();
            writeUnits.add(1);
        }
    }

    private void read(ConsumedCapacity c, boolean consistent) {
        double units = c == null || c.capacityUnits() == null ? 0 : c.capacityUnits();
        readUnits.add(Math.max(units, consistent ? 1 : 0.5));
    }

    private void write(ConsumedCapacity c, String table, Map<String, AttributeValue> key) {
        double units = c == null || c.capacityUnits() == null ? 1 : Math.max(1, c.capacityUnits());
        writeUnits.add(units);
        ToIntFunction<Map<String, AttributeValue>> copies = indexCopies.get(table);
        int n = copies == null ? 0 : copies.applyAsInt(key);
        indexWriteUnits.add(units * n);
        writeUnits.add(units * n);
    }

    /** A snapshot of everything counted so far. */
    Usage usage() {
        Map<String, Long> ops = new TreeMap<>();
        requests.forEach((k, v) -> ops.put(k, v.get()));
        return new Usage(ops, readUnits.sum(), writeUnits.sum(), indexWriteUnits.sum(), failedConditions.get());
    }

    void reset() {
        requests.clear();
        readUnits.reset();
        writeUnits.reset();
        indexWriteUnits.reset();
        failedConditions.set(0);
    }

    /**
     * Requests by operation and request units.
     *
     * @param writeUnits      all write request units, index writes included
     * @param indexWriteUnits the part of {@code writeUnits} spent on secondary indexes
     */
    record Usage(Map<String, Long> requests, double readUnits, double writeUnits, double indexWriteUnits,
                 long failedConditions) {
        static final Usage ZERO = new Usage(Map.of(), 0, 0, 0, 0);

        Usage plus(Usage more) {
            Map<String, Long> ops = new TreeMap<>(requests);
            more.requests.forEach((k, v) -> ops.merge(k, v, Long::sum));
            return new Usage(ops, readUnits + more.readUnits, writeUnits + more.writeUnits,
                    indexWriteUnits + more.indexWriteUnits, failedConditions + more.failedConditions);
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
            return new Usage(ops, readUnits - before.readUnits, writeUnits - before.writeUnits,
                    indexWriteUnits - before.indexWriteUnits, failedConditions - before.failedConditions);
        }
    }
}
