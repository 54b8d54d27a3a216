package io.jobwatch.cli;

import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/** Where runs are kept: the options shared by ingest and runs (a picocli mixin). */
final class StoreOptions {
    enum Kind { sqlite, dynamodb }

    @Option(names = "--store", defaultValue = "sqlite",
            description = "Store back end: sqlite (embedded file) or dynamodb. Default: ${DEFAULT-VALUE}.")
    Kind kind;

    @Option(names = "--db", paramLabel = "PATH", description = "SQLite file (sqlite store). Default: ./jobwatch.db.")
    Path db;

    @Option(names = "--table", paramLabel = "T", description = "DynamoDB table (dynamodb store; required there).")
    String table;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "DynamoDB endpoint, e.g. http://127.0.0.1:8000 for a local stand-in. Default: the AWS endpoint of the region.")
    URI endpoint;

    @Option(names = "--region", paramLabel = "R",
            description = "AWS region for dynamodb. Default: the SDK's (AWS_REGION, profile), else us-east-1 with --endpoint.")
    String region;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "7d",
            description = "How long runs are kept after their last update (e.g. 7d, 36h). Default: ${DEFAULT-VALUE}.",
            converter = Durations.Converter.class)
    Duration retention;

    /** Opens the chosen store; for DynamoDB the returned store also closes its client. */
    RunStore open(Clock clock) {
        if (kind == Kind.dynamodb) {
            if (table == null || table.isBlank()) {
                throw new IllegalArgumentException("--store dynamodb needs --table NAME");
            }
            if (db != null) {
                throw new IllegalArgumentException("--db is for the sqlite store; with --store dynamodb use --table");
            }
            DynamoDbClientBuilder b = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.builder().build());
            if (endpoint != null) {
                b.endpointOverride(endpoint);
            }
            if (region != null) {
                b.region(Region.of(region));
            } else if (endpoint != null) {
                b.region(Region.US_EAST_1);
            }
            DynamoDbClient client = b.build();
            DynamoRunStore store = new DynamoRunStore(client, table, clock, retention);
            return new ClosingStore(store, client);
        }
        if (table != null || endpoint != null) {
            throw new IllegalArgumentException("--table/--endpoint are for --store dynamodb");
        }
        return new SqliteRunStore(db != null ? db : SqliteRunStore.DEFAULT_PATH, clock, retention);
    }
}
