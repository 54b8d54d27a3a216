package io.jobwatch.core.testing;

import io.jobwatch.core.export.ExportDestination;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An ExportDestination in memory for tests: committed objects by key, and how many were discarded. */
public final class MemoryExportDestination implements ExportDestination {
    public final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    public final AtomicInteger discarded = new AtomicInteger();
    public final AtomicInteger commits = new AtomicInteger();

    @Override
    public PendingObject open(String key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        return new PendingObject() {
            boolean committed;
            boolean closed;

            @Override
            public OutputStream stream() {
                return bytes;
            }

            @Override
            public void commit() {
                objects.put(key, bytes.toByteArray());
                commits.incrementAndGet();
                committed = true;
            }

            @Override
            public void close() {
                if (!committed && !closed) {
                    discarded.incrementAndGet();
                }
                closed = true;
            }
        };
    }

    @Override
    public String describe(String key) {
        return "memory:" + key;
    }
}
