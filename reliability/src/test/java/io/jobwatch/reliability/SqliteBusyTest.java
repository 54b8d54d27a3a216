package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.RunStoreException;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Another process holds the SQLite file's write lock (BEGIN EXCLUSIVE) while a batch arrives. The store begins its
 * transactions IMMEDIATE, so the batch waits for the lock (SQLite's busy handler, up to the busy timeout) and is applied
 * once the other writer commits; a lock held beyond the busy timeout fails the batch loudly (RunStoreException naming
 * SQLITE_BUSY and the timeout) with nothing written, and the caller's retry applies it whole.
 */
class SqliteBusyTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-03T00:00:00Z"), ZoneOffset.UTC);
    static final Duration FOREVER = Duration.ofDays(36_500);
    /** How long the other writer keeps the lock while the batch waits (well inside the 10 s busy timeout). */
    static final long HELD_MS = 400;

    @TempDir
    Path dir;

    @Test
    void ingest_waitsForAnotherWritersLock_andAppliesTheBatchWhenItIsReleased_withinTheBusyTimeout() throws Exception {
        List<RunEvent> events = SimulatedDay.inOrder(job -> true);
        Path db = dir.resolve("busy.db");
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (RunStore clean = new SqliteRunStore(dir.resolve("clean.db"), CLOCK, FOREVER);
             RunStore store = new SqliteRunStore(db, CLOCK, FOREVER)) {
            SimulatedDay.applyInBatches(clean, events, events.size());
            List<RunEvent> first = events.subList(0, events.size() / 2);
            List<RunEvent> second = events.subList(events.size() / 2, events.size());
            new IngestPipeline(store, null, null).ingest(first);

            Future<IngestPipeline.Result> waiting;
            long released;
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                CompletableFuture<Void> started = new CompletableFuture<>();
                waiting = caller.submit(() -> {
                    started.complete(null);
                    return new IngestPipeline(store, null, null).ingest(second);
                });
                started.get(10, TimeUnit.SECONDS);
                // Before the fix the batch failed within ~40 ms; now it is still waiting while the lock is held.
                assertThatThrownBy(() -> waiting.get(HELD_MS, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
                s.execute("COMMIT");
                released = System.nanoTime();
            }
            IngestPipeline.Result r = waiting.get(SqliteRunStore.DEFAULT_BUSY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long recoveryMs = (System.nanoTime() - released) / 1_000_000;
            assertThat(r.applied()).hasSize(second.size());
            SimulatedDay.Snapshot expected = SimulatedDay.snapshot(clean, events);
            SimulatedDay.Snapshot actual = SimulatedDay.snapshot(store, events);
            SimulatedDay.assertSameRuns(actual, expected);
            assertThat(actual.summaries()).isEqualTo(expected.summaries());
            long lost = events.size() - actual.eventCount();
            assertThat(lost).isZero();
            ReliabilityLedger.record(new ReliabilityLedger.Row("store outage", "SQLite locked by another writer",
                    "BEGIN EXCLUSIVE from a second connection held " + HELD_MS + " ms while a batch of "
                            + second.size() + " events arrives, then committed", events.size(), actual.eventCount(),
                    lost, recoveryMs, "the batch waited for the lock (BEGIN IMMEDIATE + busy_timeout 10 s; before the "
                            + "fix it failed at once) and was applied " + recoveryMs + " ms after the release, with no "
                            + "retry; runs and summaries identical to an unlocked store"));
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void ingest_failsLoudlyWithNothingWritten_whenTheLockOutlastsTheBusyTimeout_andItsRetryAppliesTheWholeBatch() throws Exception {
        List<RunEvent> events = SimulatedDay.inOrder(job -> true);
        Path db = dir.resolve("busy.db");
        Duration busyTimeout = Duration.ofMillis(300);
        try (RunStore clean = new SqliteRunStore(dir.resolve("clean.db"), CLOCK, FOREVER);
             RunStore store = new SqliteRunStore(db, CLOCK, FOREVER, busyTimeout)) {
            SimulatedDay.applyInBatches(clean, events, events.size());
            List<RunEvent> first = events.subList(0, events.size() / 2);
            List<RunEvent> second = events.subList(events.size() / 2, events.size());
            new IngestPipeline(store, null, null).ingest(first);

            long waitedMs;
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                 Statement s = other.createStatement()) {
                s.execute("BEGIN EXCLUSIVE");
                long t = System.nanoTime();
                assertThatThrownBy(() -> new IngestPipeline(store, null, null).ingest(second))
                        .isInstanceOf(RunStoreException.class).hasMessageContaining("SQLITE_BUSY")
                        .hasMessageContaining(second.size() + " event(s)")
                        .hasMessageContaining("busy timeout of 300 ms")
                        .hasMessageContaining("nothing of this batch was written");
                waitedMs = (System.nanoTime() - t) / 1_000_000;
                assertThat(waitedMs).as("waited for the busy timeout first").isGreaterThanOrEqualTo(busyTimeout.toMillis() - 20);
                // Nothing of the failed batch was written: the store still holds exactly the first half.
                assertThat(SimulatedDay.snapshot(store, events).eventCount()).isEqualTo(first.size());
                s.execute("COMMIT");
            }
            long released = System.nanoTime();
            IngestPipeline.Result r = new IngestPipeline(store, null, null).ingest(second); // the caller's retry
            long recoveryMs = (System.nanoTime() - released) / 1_000_000;
            assertThat(r.applied()).hasSize(second.size());
            SimulatedDay.Snapshot expected = SimulatedDay.snapshot(clean, events);
            SimulatedDay.Snapshot actual = SimulatedDay.snapshot(store, events);
            SimulatedDay.assertSameRuns(actual, expected);
            assertThat(actual.summaries()).isEqualTo(expected.summaries());
            long lost = events.size() - actual.eventCount();
            assertThat(lost).isZero();
            ReliabilityLedger.record(new ReliabilityLedger.Row("store outage", "SQLite locked beyond the busy timeout",
                    "BEGIN EXCLUSIVE from a second connection held past the store's busy timeout (300 ms in this "
                            + "test, 10 s by default) while a batch of " + second.size() + " events arrives; then "
                            + "released and the caller retries", events.size(), actual.eventCount(), lost, recoveryMs,
                    "the batch failed loudly after waiting " + waitedMs + " ms (RunStoreException: SQLITE_BUSY, the "
                            + "timeout and \"nothing of this batch was written\"); the retry applied it whole; runs "
                            + "and summaries identical to an unlocked store"));
        }
    }
}
