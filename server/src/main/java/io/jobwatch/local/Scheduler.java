package io.jobwatch.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the server's periodic work on one background thread. Each task is told the clock's instant it runs at, so the
 * work itself decides what is due from that instant (digest schedules, the export) and tests can drive it with any
 * instant instead of waiting. A failing task is logged and runs again at its next period.
 */
public final class Scheduler implements AutoCloseable {
    /** Work that runs at an instant. */
    @FunctionalInterface
    public interface Task {
        void run(Instant now) throws Exception;
    }

    private final Clock clock;
    private final ScheduledExecutorService executor;
    private final Consumer<String> log;

    public Scheduler(Clock clock, Consumer<String> log) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jobwatch-scheduler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code task} after {@code initialDelay}, then every {@code period} (measured from the end of each run). */
    public void every(String name, Duration initialDelay, Duration period, Task task) {
        executor.scheduleWithFixedDelay(() -> runNow(name, task), initialDelay.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Runs {@code task} once, as soon as the scheduler thread is free (e.g. send the outbox right after ingest). */
    public void soon(String name, Task task) {
        if (!executor.isShutdown()) {
            try {
                executor.execute(() -> runNow(name, task));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Shutting down: the work is left for the next start (the outbox keeps it).
            }
        }
    }

    private void runNow(String name, Task task) {
        try {
            task.run(clock.instant());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            log.accept(name + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** Stops scheduling and waits up to {@code grace} for a running task to finish. */
    public void stop(Duration grace) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(5));
    }
}
