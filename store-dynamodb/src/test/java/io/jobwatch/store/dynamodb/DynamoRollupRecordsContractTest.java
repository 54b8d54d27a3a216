package io.jobwatch.store.dynamodb;

import io.jobwatch.core.store.RollupRecords;
import io.jobwatch.core.store.RollupRecordsContract;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The shared rollup records contract against a real DynamoDB API (dynalite), a fresh table per test. */
class DynamoRollupRecordsContractTest extends RollupRecordsContract {
    private static final AtomicInteger TABLES = new AtomicInteger();

    @Override
    protected RollupRecords createRecords() {
        DynamoDbClient client = Dynalite.shared().client();
        String table = "rollups-" + TABLES.incrementAndGet();
        DynamoRunStore.createTable(client, table);
        return new DynamoRollupRecords(client, table);
    }
}
