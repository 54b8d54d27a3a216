package io.jobwatch.store.dynamodb;

import io.jobwatch.core.store.RecordRunStore;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The run store on one DynamoDB table: core's {@link RecordRunStore} over {@link DynamoRunRecords} (wiring only). */
public final class DynamoRunStore extends RecordRunStore {

    /** The client belongs to the caller, who closes it. */
    public DynamoRunStore(DynamoDbClient client, String table, Clock clock, Duration retention) {
        this(client, table, clock, retention, () -> {
        });
    }

    /** @param onClose what closing the store also does, e.g. {@code client::close} for a client of its own */
    public DynamoRunStore(DynamoDbClient client, String table, Clock clock, Duration retention, Runnable onClose) {
        this(client, table, clock, retention, io.jobwatch.core.store.Rollups.DEFAULT_RETENTION, onClose);
    }

    /** @param rollupRetention how long a day's rollup is kept after the day (the catalog's {@code retention.rollups}) */
    public DynamoRunStore(DynamoDbClient client, String table, Clock clock, Duration retention, Duration rollupRetention,
            Runnable onClose) {
        super(new DynamoRunRecords(client, table, retention, onClose), clock, retention, rollupRetention);
    }

    /**
     * Creates the table with its indexes (on-demand billing) for tests and development; in AWS the infrastructure
     * creates it and enables TTL on {@code ttl}.
     */
    public static void createTable(DynamoDbClient client, String table) {
        DynamoRunRecords.createTable(client, table);
    }
}
