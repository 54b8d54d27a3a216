package io.jobwatch.store.sqlite;

import io.jobwatch.core.ingest.DeliveryOrderProperties;
import io.jobwatch.core.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The delivery guarantee on SQLite files (a few random event sets; the in-memory run has many). */
class SqliteDeliveryOrderTest extends DeliveryOrderProperties {
    @Override
    protected Stores open(Clock clock) throws Exception {
        Path dir = Files.createTempDirectory("jobwatch-order-");
        dir.toFile().deleteOnExit();
        Path db = dir.resolve("jobwatch.db");
        SqliteRunStore runs = new SqliteRunStore(db, clock, RunStore.DEFAULT_RETENTION);
        SqliteIncidents incidents = new SqliteIncidents(db);
        return new Stores(runs, incidents, incidents, () -> {
            incidents.close();
            runs.close();
        });
    }

    @Property(tries = 5)
    void anyDelivery_givesTheSameRunsAndIncidents(@ForAll long seed) throws Exception {
        check(seed);
    }
}
