package io.jobwatch.cli;

import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** Test data: simulated days of the seed's estate ingested into a SQLite store (kept ~100 years, so old days stay). */
public final class SimulatedStore {
    /** A retention long enough that simulated past weeks never expire in tests. */
    public static final Duration FOREVER = Duration.ofDays(36_500);

    private SimulatedStore() {
    }

    public static Path create(Path db, LocalDate firstDay, int days) {
        EventNormalizer normalizer = new EventNormalizer();
        List<RunEvent> events = new ArrayList<>();
        new Simulator(SimOptions.defaults()).simulate(firstDay, days, d -> {
            if (normalizer.normalize(d.event()) instanceof Normalization.Normalized n) {
                events.add(n.event());
            }
        });
        try (SqliteRunStore store = new SqliteRunStore(db, Clock.systemUTC(), FOREVER)) {
            new IngestPipeline(store, null, null).ingest(events);
        }
        return db;
    }
}
