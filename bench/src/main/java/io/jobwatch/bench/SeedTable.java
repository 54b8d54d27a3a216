package io.jobwatch.bench;

import io.jobwatch.core.export.ExportRow;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The seed's table, as its design describes it: one item per run keyed by job + run id, no secondary index (every
 * reader scans). Shared by the three {@code Seed…Baseline}s.
 */
final class SeedTable {
    static final String JOB = "job";
    static final String RUN = "run";

    private SeedTable() {
    }

    static void create(DynamoDbClient client, String table) {
        client.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName(JOB).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(RUN).attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName(JOB).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(RUN).keyType(KeyType.RANGE).build()));
        client.waiter().waitUntilTableExists(b -> b.tableName(table));
    }

    /** Scans the whole table page by page (1 MB pages, eventually consistent, as the seed does). */
    static void scan(DynamoDbClient client, String table, Consumer<Map<String, AttributeValue>> sink) {
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = client.scan(ScanRequest.builder().tableName(table).exclusiveStartKey(from).build());
            page.items().forEach(sink);
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
    }

    static JobKey job(Map<String, AttributeValue> item) {
        return JobKey.parse(item.get(JOB).s());
    }

    static RunState state(Map<String, AttributeValue> item) {
        return RunState.valueOf(item.get("state").s());
    }

    static Instant time(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : Instant.parse(v.s());
    }

    /** The run's start, else its end, else its last update: what the seed sorts and filters by. */
    static Instant sortTime(Map<String, AttributeValue> item) {
        Instant t = time(item, "startedAt");
        if (t == null) {
            t = time(item, "endedAt");
        }
        return t != null ? t : time(item, "updatedAt");
    }

    static ExportRow row(Map<String, AttributeValue> item) {
        JobKey job = job(item);
        Instant start = time(item, "startedAt");
        Instant end = time(item, "endedAt");
        AttributeValue error = item.get("error");
        return new ExportRow(item.get(RUN).s(), job.source(), job.account(), null, job.region(), job.jobName(), null,
                null, state(item), item.get("sourceState").s(), start, end, ExportRow.durationSeconds(start, end),
                error == null ? null : error.s(), null, item.get("events").ss().size(), time(item, "firstSeen"),
                time(item, "updatedAt"));
    }
}
