package io.jobwatch.core.export;

import io.jobwatch.core.run.RunState;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Exports the days of an {@link ExportPlan}: each day is read from the {@link ExportSource} and streamed straight
 * into its own object, days in parallel on a bounded pool, then the {@link Manifest} is written.
 *
 * <p>Memory is bounded by {@code parallelism} × (one row + the gzip window + the destination's buffer), whatever the
 * number of runs. A failed day discards its object and fails the export without a manifest; days already committed
 * stay and are overwritten by the next export of the same days.
 */
public final class WeeklyExporter {
    private final ExportSource source;
    private final ExportDestination destination;
    private final Clock clock;
    private final int parallelism;
    private final int gzipLevel;

    /**
     * @param parallelism how many days are read and written at once (≥ 1); the store's read capacity and the
     *                    machine's cores bound it — 4 is plenty for a week
     */
    public WeeklyExporter(ExportSource source, ExportDestination destination, Clock clock, int parallelism) {
        this(source, destination, clock, parallelism, CsvRunWriter.DEFAULT_GZIP_LEVEL);
    }

    public WeeklyExporter(ExportSource source, ExportDestination destination, Clock clock, int parallelism,
                          int gzipLevel) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("export parallelism must be at least 1, was " + parallelism);
        }
        this.source = source;
        this.destination = destination;
        this.clock = clock;
        this.parallelism = parallelism;
        this.gzipLevel = gzipLevel;
    }

    public Manifest export(ExportPlan plan) throws IOException {
        List<LocalDate> days = plan.days();
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, days.size()), r -> {
            Thread t = new Thread(r, "jobwatch-export-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<DayResult> results = new ArrayList<>();
        try {
            List<Future<DayResult>> futures = new ArrayList<>();
            for (LocalDate day : days) {
                futures.add(pool.submit(() -> exportDay(day)));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    futures.forEach(f -> f.cancel(true));
                    String key = ExportPlan.objectKey(days.get(i));
                    Throwable cause = e.getCause();
                    throw new ExportFailedException("export " + plan.name() + ": day " + days.get(i) + " ("
                            + destination.describe(key) + ") failed: " + cause.getMessage()
                            + "; no manifest written, re-run the export", cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(f -> f.cancel(true));
                    throw new ExportFailedException("export " + plan.name() + " interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Manifest manifest = manifest(plan, results);
        try (ExportDestination.PendingObject o = destination.open(plan.manifestKey())) {
            o.stream().write(manifest.toJson());
            o.commit();
        }
        return manifest;
    }

    private DayResult exportDay(LocalDate day) throws IOException {
        String key = ExportPlan.objectKey(day);
        DayResult stats = new DayResult(key, day);
        try (ExportDestination.PendingObject object = destination.open(key)) {
            OutputStream out = object.stream();
            CsvRunWriter writer = new CsvRunWriter(out, gzipLevel);
            source.rowsOfDay(day, row -> {
                try {
                    writer.write(row);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                stats.add(row);
            });
            stats.written = writer.finish();
            object.commit();
        }
        return stats;
    }

    private Manifest manifest(ExportPlan plan, List<DayResult> days) {
        Map<RunState, Long> states = new EnumMap<>(RunState.class);
        for (RunState s : RunState.values()) {
            states.put(s, 0L);
        }
        long rows = 0;
        long durations = 0;
        Instant min = null;
        Instant max = null;
        List<Manifest.ObjectEntry> objects = new ArrayList<>();
        for (DayResult d : days) {
            rows += d.written.rows();
            durations += d.durationSum;
            for (RunState s : RunState.values()) {
                states.merge(s, d.states[s.ordinal()], Long::sum);
            }
            min = d.min == null ? min : min == null || d.min.isBefore(min) ? d.min : min;
            max = d.max == null ? max : max == null || d.max.isAfter(max) ? d.max : max;
            objects.add(new Manifest.ObjectEntry(d.key, d.day, d.written.rows(), d.written.bytes(), d.written.sha256()));
        }
        return new Manifest(plan.name(), Manifest.FORMAT, ExportColumns.NAMES, plan.from(), plan.to(),
                clock.instant(), rows, states, min, max, durations, objects);
    }

    /** One day's figures, filled by its own thread only. */
    private static final class DayResult {
        final String key;
        final LocalDate day;
        final long[] states = new long[RunState.values().length];
        long durationSum;
        Instant min;
        Instant max;
        CsvRunWriter.Result written;

        DayResult(String key, LocalDate day) {
            this.key = key;
            this.day = day;
        }

        void add(ExportRow r) {
            states[r.state().ordinal()]++;
            if (r.durationSeconds() != null) {
                durationSum += r.durationSeconds();
            }
            Instant s = r.startedAt();
            if (s != null) {
                if (min == null || s.isBefore(min)) {
                    min = s;
                }
                if (max == null || s.isAfter(max)) {
                    max = s;
                }
            }
        }
    }
}
