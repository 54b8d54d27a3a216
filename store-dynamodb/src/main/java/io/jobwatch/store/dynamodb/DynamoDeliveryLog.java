package io.jobwatch.store.dynamodb;

import io.jobwatch.core.digest.DeliveryLog;
import io.jobwatch.core.store.RunStoreException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Digest delivery outcomes per team in the run store's table: the digest Lambda's own state item
 * ({@code pk = CHECKPOINT#digest}, {@code sk = TEAM#<name>}, string attributes {@code windowEnd} and
 * {@code deliveryFailed}), so the CLI on DynamoDB and the Lambda agree. One GetItem or PutItem each.
 */
public final class DynamoDeliveryLog implements DeliveryLog {
    static final String PK = "CHECKPOINT#digest";

    private final DynamoDbClient client;
    private final String table;

    public DynamoDeliveryLog(DynamoDbClient client, String table) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public boolean previousFailed(String team) {
        try {
            var r = client.getItem(b -> b.tableName(table).consistentRead(true).key(key(team)));
            AttributeValue v = r.hasItem() ? r.item().get("deliveryFailed") : null;
            return v != null && Boolean.parseBoolean(v.s());
        } catch (SdkException e) {
            throw new RunStoreException("cannot read the digest state of team " + team + " from table " + table + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void record(String team, Instant windowEnd, boolean failed) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(team));
        item.put("windowEnd", AttributeValue.fromS(windowEnd.toString()));
        item.put("deliveryFailed", AttributeValue.fromS(Boolean.toString(failed)));
        try {
            client.putItem(b -> b.tableName(table).item(item));
        } catch (SdkException e) {
            throw new RunStoreException("cannot write the digest state of team " + team + " to table " + table + ": "
                    + e.getMessage(), e);
        }
    }

    /** One Query of the digest state items (consistent, paginated; a handful of teams fit one page). */
    @Override
    public Map<String, Instant> lastWindowEnds() {
        Map<String, Instant> out = new LinkedHashMap<>();
        try {
            client.queryPaginator(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", Items.PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PK))).build())
                    .items().forEach(item -> {
                        AttributeValue end = item.get("windowEnd");
                        if (end != null && end.s() != null) {
                            out.put(item.get(Items.SK).s().substring("TEAM#".length()), Instant.parse(end.s()));
                        }
                    });
        } catch (SdkException e) {
            throw new RunStoreException("cannot read the digest state from table " + table + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static Map<String, AttributeValue> key(String team) {
        return Map.of(Items.PK, AttributeValue.fromS(PK), Items.SK, AttributeValue.fromS("TEAM#" + team));
    }
}
