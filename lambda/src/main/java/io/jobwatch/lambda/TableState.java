package io.jobwatch.lambda;

import io.jobwatch.core.store.RunStoreException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * Small state items of the scheduled handlers in the run store's table (string attributes only): the outbox
 * handler's checkpoint ({@code pk = CHECKPOINT#incidents}, {@code sk = CHECKPOINT}) and the digest handler's
 * last window per team ({@code pk = CHECKPOINT#digest}, {@code sk = TEAM#<name>}). One GetItem, PutItem or Query
 * each; they never expire (no {@code ttl}) and are not in any index.
 */
final class TableState {
    static final String INCIDENTS = "CHECKPOINT#incidents";
    static final String CHECKPOINT = "CHECKPOINT";
    static final String DIGEST = "CHECKPOINT#digest";
    static final String RECONCILE = "CHECKPOINT#reconcile";

    private final DynamoDbClient client;
    private final String table;

    TableState(DynamoDbClient client, String table) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
    }

    Optional<Map<String, String>> get(String pk, String sk) {
        try {
            var r = client.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("pk", s(pk), "sk", s(sk))));
            return r.hasItem() && !r.item().isEmpty() ? Optional.of(strings(r.item())) : Optional.empty();
        } catch (SdkException e) {
            throw new RunStoreException("cannot read " + pk + "/" + sk + " from table " + table + ": " + e.getMessage(), e);
        }
    }

    /** Every item of {@code pk}, by sort key. */
    Map<String, Map<String, String>> all(String pk) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        try {
            client.queryPaginator(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", "pk"))
                    .expressionAttributeValues(Map.of(":pk", s(pk))).build())
                    .items().forEach(item -> out.put(item.get("sk").s(), strings(item)));
        } catch (SdkException e) {
            throw new RunStoreException("cannot read " + pk + " from table " + table + ": " + e.getMessage(), e);
        }
        return out;
    }

    void put(String pk, String sk, Map<String, String> values) {
        Map<String, AttributeValue> item = new HashMap<>();
        values.forEach((k, v) -> item.put(k, s(v)));
        item.put("pk", s(pk));
        item.put("sk", s(sk));
        try {
            client.putItem(b -> b.tableName(table).item(item));
        } catch (SdkException e) {
            throw new RunStoreException("cannot write " + pk + "/" + sk + " to table " + table + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> strings(Map<String, AttributeValue> item) {
        Map<String, String> out = new LinkedHashMap<>();
        item.forEach((k, v) -> {
            if (v.s() != null && !k.equals("pk") && !k.equals("sk")) {
                out.put(k, v.s());
            }
        });
        return out;
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }
}
