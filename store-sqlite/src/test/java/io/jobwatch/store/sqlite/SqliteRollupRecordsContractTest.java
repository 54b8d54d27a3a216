package io.jobwatch.store.sqlite;

import io.jobwatch.core.store.RollupRecords;
import io.jobwatch.core.store.RollupRecordsContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;

/** The shared rollup records contract on a fresh SQLite file per test. */
class SqliteRollupRecordsContractTest extends RollupRecordsContract {
    private SqliteRunRecords runs;

    @Override
    protected RollupRecords createRecords() {
        try {
            Path dir = Files.createTempDirectory("jobwatch-sqlite-");
            dir.toFile().deleteOnExit();
            runs = new SqliteRunRecords(dir.resolve("runs.db"), Duration.ofSeconds(10), Instant.EPOCH);
            return runs.rollups();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterEach
    void close() {
        runs.close();
    }
}
