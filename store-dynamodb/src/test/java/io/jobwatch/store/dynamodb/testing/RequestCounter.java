package io.jobwatch.store.dynamodb.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/** Counts the requests an SDK client sends, by operation name (UpdateItem, Query, …), and the items reads examined. */
public final class RequestCounter implements ExecutionInterceptor {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
    private final AtomicLong itemsRead = new AtomicLong();

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (context.response() instanceof QueryResponse q) {
            itemsRead.addAndGet(q.scannedCount() == null ? 0 : q.scannedCount());
        } else if (context.response() instanceof ScanResponse s) {
            itemsRead.addAndGet(s.scannedCount() == null ? 0 : s.scannedCount());
        }
    }

    /** Items examined by Query and Scan requests (what they are billed for, before any filter). */
    public long itemsRead() {
        return itemsRead.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String op = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(op, k -> new AtomicLong()).incrementAndGet();
    }

    public long count(String operation) {
        AtomicLong n = counts.get(operation);
        return n == null ? 0 : n.get();
    }

    public long total() {
        return counts.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Reads: GetItem, BatchGetItem, Query, Scan. */
    public long reads() {
        return count("GetItem") + count("BatchGetItem") + count("Query") + count("Scan");
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    public void reset() {
        counts.clear();
        itemsRead.set(0);
    }
}
