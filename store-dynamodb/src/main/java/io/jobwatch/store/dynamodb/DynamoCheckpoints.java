package io.jobwatch.store.dynamodb;

import io.jobwatch.core.store.RunStoreException;
import java.time.Instant;
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
 * When the scheduled Lambdas last did their work, in the run store's table: the outbox handler's checkpoint
 * ({@code pk = CHECKPOINT#incidents}, {@code sk = CHECKPOINT}) and the reconcile handler's last pass per scope
 * ({@code pk = CHECKPOINT#reconcile}, {@code sk = <scope>}), attribute {@code at} (ISO-8601). One GetItem, PutItem or
 * Query each; no {@code ttl} (they never expire) and in no index. (The digest handler's items of the same shape are
 * {@link DynamoDeliveryLog}'s.)
 */
public final class DynamoCheckpoints {
    /** The outbox handler's checkpoint: {@link #INCIDENTS} / {@link #CHECKPOINT}. */
    public static final String INCIDENTS = "incidents";
    public static final String CHECKPOINT = "CHECKPOINT";
    /** The reconcile handler's passes, one item per scope. */
    public static final String RECONCILE = "reconcile";
    private static final String PREFIX = "CHECKPOINT#";

    private final DynamoDbClient client;
    private final String table;

    public DynamoCheckpoints(DynamoDbClient client, String table) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
    }

    /** The time recorded under {@code kind}/{@code key}, if any. */
    public Optional<Instant> get(String kind, String key) {
        try {
            var r = client.getItem(b -> b.tableName(table).consistentRead(true).key(key(kind, key)));
            AttributeValue at = r.hasItem() ? r.item().get("at") : null;
            return at == null || at.s() == null ? Optional.empty() : Optional.of(Instant.parse(at.s()));
        } catch (SdkException e) {
            throw new RunStoreException("cannot read checkpoint " + kind + "/" + key + " from table " + table + ": "
                    + e.getMessage(), e);
        }
    }

    /** Every time recorded under {@code kind}, by key (one Query). */
    public Map<String, Instant> all(String kind) {
        Map<String, Instant> out = new LinkedHashMap<>();
        try {
            client.queryPaginator(QueryRequest.builder().tableName(table).consistentRead(true)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", Items.PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PREFIX + kind))).build())
                    .items().forEach(item -> {
                        AttributeValue at = item.get("at");
                        if (at != null && at.s() != null) {
                            out.put(item.get(Items.SK).s(), Instant.parse(at.s()));
                        }
                    });
        } catch (SdkException e) {
            throw new RunStoreException("cannot read checkpoints " + kind + " from table " + table + ": " + e.getMessage(), e);
        }
        return out;
    }

    public void put(String kind, String key, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(key(kind, key));
        item.put("at", AttributeValue.fromS(at.toString()));
        try {
            client.putItem(b -> b.tableName(table).item(item));
        } catch (SdkException e) {
            throw new RunStoreException("cannot write checkpoint " + kind + "/" + key + " to table " + table + ": "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, AttributeValue> key(String kind, String key) {
        return Map.of(Items.PK, AttributeValue.fromS(PREFIX + kind), Items.SK, AttributeValue.fromS(key));
    }
}
