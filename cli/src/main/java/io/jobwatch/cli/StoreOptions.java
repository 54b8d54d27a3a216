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

    @Option(names = "--create-table",
            description = "With --store dynamodb: create the table (with its indexes, on-demand billing: the store's own"
                    + " definition) when it does not exist yet — for local stand-ins and test accounts; on AWS the stack"
                    + " creates it.")
    boolean createTable;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "7d",
            description = "How long runs are kept after their last update (e.g. 7d, 36h). Default: ${DEFAULT-VALUE}.",
            converter = DurationConverter.class)
    Duration retention;

    /** Opens the incident records and outbox beside the runs (same SQLite file or DynamoDB table). */
    io.jobwatch.core.incident.Incidents openIncidents(Clock clock) {
        if (kind == Kind.dynamodb) {
            DynamoDbClient client = dynamoClient();
            ensureTable(client);
            return new io.jobwatch.store.dynamodb.DynamoIncidents(client, table, clock, retention, client::close);
        }
        return new io.jobwatch.store.sqlite.SqliteIncidents(sqlitePath());
    }

    /** Digest delivery outcomes per team, closable. */
    interface Deliveries extends io.jobwatch.core.digest.DeliveryLog, AutoCloseable {
        @Override
        void close();
    }

    /** Opens the digest delivery log beside the runs (same SQLite file, or the digest Lambda's items in the table). */
    Deliveries openDeliveries() {
        io.jobwatch.core.digest.DeliveryLog log;
        Runnable close;
        if (kind == Kind.dynamodb) {
            DynamoDbClient client = dynamoClient();
            log = new io.jobwatch.store.dynamodb.DynamoDeliveryLog(client, table);
            close = client::close;
        } else {
            io.jobwatch.store.sqlite.SqliteDeliveryLog s = new io.jobwatch.store.sqlite.SqliteDeliveryLog(sqlitePath());
            log = s;
            close = s::close;
        }
        return new Deliveries() {
            @Override
            public boolean previousFailed(String team) {
                return log.previousFailed(team);
            }

            @Override
            public void record(String team, java.time.Instant windowEnd, boolean failed) {
                log.record(team, windowEnd, failed);
            }

            @Override
            public java.util.Map<String, java.time.Instant> lastWindowEnds() {
                return log.lastWindowEnds();
            }

            @Override
            public void close() {
                close.run();
            }
        };
    }

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Folder for files that belong with the store (the dry-run incident log). Default: the SQLite file's folder; with --store dynamodb the current folder.")
    Path dataDirOption;

    /** Where files that belong with the store go (the dry-run incident log): next to the SQLite file, or the cwd. */
    Path dataDir() {
        if (dataDirOption != null) {
            return dataDirOption;
        }
        if (kind == Kind.dynamodb) {
            return Path.of("").toAbsolutePath();
        }
        Path parent = sqlitePath().toAbsolutePath().getParent();
        return parent != null ? parent : Path.of("").toAbsolutePath();
    }

    Path sqlitePath() {
        return db != null ? db : SqliteRunStore.DEFAULT_PATH;
    }

    /** With --create-table, creates the table when it is missing (two processes racing: one creates, both go on). */
    private void ensureTable(DynamoDbClient client) {
        if (!createTable) {
            return;
        }
        try {
            client.describeTable(b -> b.tableName(table));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException missing) {
            try {
                DynamoRunStore.createTable(client, table);
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceInUseException createdMeanwhile) {
                client.waiter().waitUntilTableExists(b -> b.tableName(table));
            }
        }
    }

    private DynamoDbClient dynamoClient() {
        DynamoDbClientBuilder b = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.builder().build());
        if (endpoint != null) {
            b.endpointOverride(endpoint);
        }
        if (region != null) {
            b.region(Region.of(region));
        } else if (endpoint != null) {
            b.region(Region.US_EAST_1);
        }
        return b.build();
    }

    /** Opens the chosen store; for DynamoDB the returned store also closes its client. */
    RunStore open(Clock clock) {
        if (kind == Kind.dynamodb) {
            if (table == null || table.isBlank()) {
                throw new IllegalArgumentException("--store dynamodb needs --table NAME");
            }
            if (db != null) {
                throw new IllegalArgumentException("--db is for the sqlite store; with --store dynamodb use --table");
            }
            DynamoDbClient client = dynamoClient();
            ensureTable(client);
            return new DynamoRunStore(client, table, clock, retention, client::close);
        }
        if (table != null || endpoint != null || createTable) {
            throw new IllegalArgumentException("--table/--endpoint/--create-table are for --store dynamodb");
        }
        return new SqliteRunStore(sqlitePath(), clock, retention);
    }
}
