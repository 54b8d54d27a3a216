package io.jobwatch.store.dynamodb;

import io.jobwatch.core.ingest.DeliveryOrderProperties;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** The delivery guarantee on a DynamoDB table (dynalite; a few random event sets, the in-memory run has many). */
class DynamoDeliveryOrderTest extends DeliveryOrderProperties {
    private static final AtomicInteger TABLES = new AtomicInteger();

    @Override
    protected Stores open(Clock clock) {
        var client = Dynalite.shared().client();
        String table = "order-" + TABLES.incrementAndGet();
        DynamoRunStore.createTable(client, table);
        DynamoIncidents incidents = new DynamoIncidents(client, table, clock, RunStore.DEFAULT_RETENTION);
        return new Stores(new DynamoRunStore(client, table, clock, RunStore.DEFAULT_RETENTION), incidents, incidents,
                client::close);
    }

    @Property(tries = 3)
    void anyDelivery_givesTheSameRunsAndIncidents(@ForAll long seed) throws Exception {
        check(seed);
    }
}
