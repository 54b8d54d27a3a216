package io.jobwatch.store.dynamodb;

import io.jobwatch.core.detail.RunDetails;
import io.jobwatch.core.detail.RunDetailsContract;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The run details contract on dynalite (the DynamoDB API), in the run store's table. */
class DynamoRunDetailsContractTest extends RunDetailsContract {
    @Override
    protected RunDetails newDetails() {
        DynamoDbClient client = Dynalite.shared().client();
        String table = "details-" + System.nanoTime();
        DynamoRunStore.createTable(client, table);
        return new DynamoRunDetails(client, table);
    }
}
