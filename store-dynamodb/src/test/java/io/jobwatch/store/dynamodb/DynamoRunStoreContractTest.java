package io.jobwatch.store.dynamodb;

import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.RunStoreContract;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The shared RunStore contract against a real DynamoDB API (dynalite), a fresh table per store. */
class DynamoRunStoreContractTest extends RunStoreContract {
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static DynamoDbClient client;

    @Override
    protected RunStore createStore(Clock clock, Duration retention) {
        if (client == null) {
            client = Dynalite.shared().client();
        }
        String table = "runs-" + TABLES.incrementAndGet();
        DynamoRunStore.createTable(client, table);
        return new DynamoRunStore(client, table, clock, retention);
    }
}
