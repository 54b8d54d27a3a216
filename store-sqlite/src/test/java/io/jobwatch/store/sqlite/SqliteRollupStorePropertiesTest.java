package io.jobwatch.store.sqlite;

import io.jobwatch.core.store.RollupStoreProperties;
import io.jobwatch.core.store.RunStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Rollups equal what the runs imply, through the SQLite run store. */
class SqliteRollupStorePropertiesTest extends RollupStoreProperties {
    @Override
    protected RunStore createStore(Clock clock, Duration retention) {
        try {
            Path dir = Files.createTempDirectory("jobwatch-sqlite-");
            dir.toFile().deleteOnExit();
            return new SqliteRunStore(dir.resolve("runs.db"), clock, retention);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
