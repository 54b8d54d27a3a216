package io.jobwatch.store.dynamodb;

import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.IncidentStoreContract;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxContract;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;

/** The shared incident store and outbox contracts against a real DynamoDB API (dynalite), a fresh table each. */
class DynamoIncidentsContractTest {
    private static final AtomicInteger TABLES = new AtomicInteger();

    private static DynamoIncidents fresh() {
        var client = Dynalite.shared().client();
        String table = "incidents-" + TABLES.incrementAndGet();
        DynamoRunStore.createTable(client, table);
        return new DynamoIncidents(client, table, Clock.systemUTC(), Duration.ofDays(7));
    }

    @Nested
    class IncidentStoreOnDynamo extends IncidentStoreContract {
        @Override
        protected IncidentStore newStore() {
            return fresh();
        }
    }

    @Nested
    class OutboxOnDynamo extends OutboxContract {
        @Override
        protected Outbox newOutbox() {
            return fresh();
        }
    }
}
