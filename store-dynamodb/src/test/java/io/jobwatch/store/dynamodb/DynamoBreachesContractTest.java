package io.jobwatch.store.dynamodb;

import io.jobwatch.core.sla.BreachStore;
import io.jobwatch.core.sla.BreachStoreContract;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.util.concurrent.atomic.AtomicInteger;

/** The shared BreachStore contract against a real DynamoDB API (dynalite), a fresh table each. */
class DynamoBreachesContractTest extends BreachStoreContract {
    private static final AtomicInteger TABLES = new AtomicInteger();

    @Override
    protected BreachStore newStore() {
        var client = Dynalite.shared().client();
        String table = "breaches-" + TABLES.incrementAndGet();
        DynamoRunStore.createTable(client, table);
        return new DynamoBreaches(client, table);
    }
}
