package io.jobwatch.core.ingest;

import io.jobwatch.core.incident.InMemoryIncidentStore;
import io.jobwatch.core.incident.InMemoryOutbox;
import io.jobwatch.core.store.InMemoryRunRecords;
import io.jobwatch.core.store.RunStore;
import java.time.Clock;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The delivery guarantee against the in-memory back ends, with many random event sets. */
class InMemoryDeliveryOrderTest extends DeliveryOrderProperties {
    @Override
    protected Stores open(Clock clock) {
        InMemoryOutbox outbox = new InMemoryOutbox();
        return new Stores(InMemoryRunRecords.store(clock, RunStore.DEFAULT_RETENTION), new InMemoryIncidentStore(),
                outbox, () -> { });
    }

    @Property(tries = 300)
    void anyDelivery_givesTheSameRunsAndIncidents(@ForAll long seed) throws Exception {
        check(seed);
    }
}
