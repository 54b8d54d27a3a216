package io.jobwatch.store.dynamodb;

import io.jobwatch.core.store.RollupStoreProperties;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Rollups equal what the runs imply, through the DynamoDB run store (dynalite), a fresh table per try. */
class DynamoRollupStorePropertiesTest extends RollupStoreProperties {
    private static final AtomicInteger TABLES = new AtomicInteger();

    @Override
    protected RunStore createStore(Clock clock, Duration retention) {
        DynamoDbClient client = Dynalite.shared().client();
        String table = "rollup-runs-" + TABLES.incrementAndGet();
        DynamoRunStore.createTable(client, table);
        return new DynamoRunStore(client, table, clock, retention);
    }

    @Override
    protected int maxRuns() {
        return 15;
    }
}
