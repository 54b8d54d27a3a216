package io.jobwatch.bench;

import static io.jobwatch.bench.Measure.max;
import static io.jobwatch.bench.Measure.min;

import io.jobwatch.core.export.CsvRunWriter;
import io.jobwatch.core.export.ExportDestination;
import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.ExportRow;
import io.jobwatch.core.export.ExportSource;
import io.jobwatch.core.export.Manifest;
import io.jobwatch.core.export.WeeklyExporter;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;

/**
 * Weekly export: the streaming exporter (each day read and written straight into its own object, days in parallel)
 * side by side with the seed's approach (read everything into a list first, then write one gzip file), over the same
 * generated runs. The source generates rows on the fly (no store I/O), so the figures isolate the export's own cost
 * and memory; the store-backed variants (SQLite, dynalite) are added with the run store.
 */
final class ExportBench {
    private static final ExportPlan WEEK = ExportPlan.week("2026-W47");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T01:00:00Z"), ZoneOffset.UTC);
    private static final int PARALLELISM = 4;

    private ExportBench() {
    }

    static void run(int totalRows, boolean quick) {
        ExportSource source = generated(totalRows);
        int runs = quick ? 3 : totalRows < 100_000 ? 15 : 5;
        String n = String.format("%,d", totalRows);
        Map<String, Task> cases = new LinkedHashMap<>();
        cases.put("export " + n + " runs: streaming, per day, " + PARALLELISM + " threads, gzip 6",
                () -> streaming(source, PARALLELISM, CsvRunWriter.GZIP_DEFAULT_LEVEL));
        cases.put("export " + n + " runs: streaming, per day, 1 thread, gzip 6",
                () -> streaming(source, 1, CsvRunWriter.GZIP_DEFAULT_LEVEL));
        cases.put("export " + n + " runs: streaming, per day, " + PARALLELISM + " threads, gzip 1",
                () -> streaming(source, PARALLELISM, Deflater.BEST_SPEED));
        cases.put("generating " + n + " runs only (no export), 1 thread", () -> {
            long[] count = new long[1];
            for (LocalDate day : WEEK.days()) {
                source.rowsOfDay(day, r -> count[0]++);
            }
            return count[0];
        });
        cases.put("export " + n + " runs: baseline, all rows in a list, one gzip 6 file", () -> baseline(source));
        // Warm every case up before measuring any, so no case pays for the JIT of code the others share.
        if (totalRows < 100_000) {
            for (int w = 0; w < (quick ? 2 : 10); w++) {
                for (Task t : cases.values()) {
                    try {
                        t.run();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        cases.forEach((name, task) -> measure(name, runs, quick, task));
    }

    /** Bytes written; the destination only counts (the figures are the export's CPU and memory, not the disk's). */
    private static long streaming(ExportSource source, int threads, int level) throws IOException {
        CountingDestination dest = new CountingDestination();
        Manifest m = new WeeklyExporter(source, dest, CLOCK, threads, level).export(WEEK);
        return m.rows() + dest.bytes.get() * 0;
    }

    private static long baseline(ExportSource source) throws IOException {
        List<ExportRow> all = new ArrayList<>();
        for (LocalDate day : WEEK.days()) {
            source.rowsOfDay(day, all::add);
        }
        CsvRunWriter w = new CsvRunWriter(OutputStream.nullOutputStream(), CsvRunWriter.GZIP_DEFAULT_LEVEL);
        for (ExportRow r : all) {
            w.write(r);
        }
        return w.finish().rows();
    }

    interface Task {
        long run() throws Exception;
    }

    private static void measure(String name, int runs, boolean quick, Task task) {
        try {
            for (int w = 0; w < (quick || runs < 10 ? 1 : 10); w++) {
                task.run();
            }
            double[] ms = new double[runs];
            long peakHeap = 0;
            long peakRss = 0;
            long rows = 0;
            for (int r = 0; r < runs; r++) {
                System.gc();
                resetPeaks();
                long t0 = System.nanoTime();
                rows = task.run();
                ms[r] = (System.nanoTime() - t0) / 1e6;
                peakHeap = Math.max(peakHeap, peakHeapBytes());
                peakRss = Math.max(peakRss, peakRssBytes());
            }
            System.out.printf("| %s | %,.0f ms | %d × %,d rows | peak heap %,d MB, peak RSS %s; max heap %,d MB; min %,.0f ms, max %,.0f ms |%n",
                    name, Bench.median(ms), runs, rows, peakHeap >> 20,
                    peakRss < 0 ? "n/a" : String.format("%,d MB", peakRss >> 20),
                    Runtime.getRuntime().maxMemory() >> 20, min(ms), max(ms));
        } catch (OutOfMemoryError e) {
            System.out.printf("| %s | OutOfMemoryError | – | max heap %,d MB: %s |%n", name,
                    Runtime.getRuntime().maxMemory() >> 20, e.getMessage());
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }

    /** Resets the heap pools' peaks and the process's peak RSS (Linux: writing 5 to clear_refs resets VmHWM). */
    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException | SecurityException ignored) {
            // not Linux, or not allowed: peak RSS is then the process's lifetime peak
        }
    }

    /** Sum of the heap pools' peaks since the reset (an upper bound of the true peak). */
    private static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** VmHWM from /proc/self/status, or -1 where there is none. */
    private static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return -1;
    }

    /**
     * {@code total} runs spread evenly over the week's days, generated on the fly in a fixed order: ~507 job names in
     * three accounts, all twelve sources, 5% failed with a ~200 character error, the rest succeeded.
     */
    static ExportSource generated(int total) {
        JobSource[] sources = JobSource.values();
        String[] accounts = {"123456789012", "234567890123", "345678901234"};
        String[] systems = {"ERP", "FinData", "Analytics"};
        return (day, sink) -> {
            int dayIndex = (int) (day.toEpochDay() - WEEK.from().toEpochDay());
            int perDay = total / 7 + (dayIndex < total % 7 ? 1 : 0);
            Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            for (int i = 0; i < perDay; i++) {
                long id = (long) dayIndex * 1_000_000_000L + i;
                int job = (int) (id % 507);
                int a = job % 3;
                boolean failed = id % 20 == 0;
                Instant start = midnight.plusSeconds((86_400L * i) / Math.max(perDay, 1));
                long duration = 30 + (id * 7919) % 3600;
                Instant end = start.plusSeconds(duration);
                sink.accept(new ExportRow(String.format("jr_%016x", id * 2654435761L), sources[job % sources.length],
                        accounts[a], systems[a], a == 2 ? "us-east-1" : "eu-west-1", systems[a].toLowerCase()
                        + "-job-" + job, "team-" + (job % 12), job % 5 == 0 ? "high" : "medium",
                        failed ? RunState.FAILED : RunState.SUCCEEDED, failed ? "FAILED" : "SUCCEEDED", start, end,
                        duration, failed ? "An error occurred while calling o" + id + ".pyWriteDynamicFrame. Access"
                        + " Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied), \"s3://raw/x\""
                        : null, null, failed ? 3 : 4, start.minusSeconds(20), end));
            }
        };
    }

    static final class CountingDestination implements ExportDestination {
        final AtomicLong bytes = new AtomicLong();

        @Override
        public PendingObject open(String key) {
            OutputStream out = new OutputStream() {
                @Override
                public void write(int b) {
                    bytes.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.addAndGet(len);
                }
            };
            return new PendingObject() {
                @Override
                public OutputStream stream() {
                    return out;
                }

                @Override
                public void commit() {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public String describe(String key) {
            return "count:" + key;
        }
    }

}
