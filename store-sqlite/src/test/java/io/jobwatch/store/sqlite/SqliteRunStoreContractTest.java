package io.jobwatch.store.sqlite;

import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.RunStoreContract;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The shared RunStore contract on a fresh SQLite file per store. */
class SqliteRunStoreContractTest extends RunStoreContract {
    @Override
    protected RunStore createStore(Clock clock, Duration retention) {
        try {
            Path dir = Files.createTempDirectory("jobwatch-sqlite-");
            dir.toFile().deleteOnExit();
            Path db = dir.resolve("runs.db");
            return new SqliteRunStore(db, clock, retention);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
