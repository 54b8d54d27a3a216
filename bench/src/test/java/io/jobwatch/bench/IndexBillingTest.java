package io.jobwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The meter's index writes follow DynamoDB's documented per-index rules, against dynalite: a table with an ALL GSI
 * ({@code gAll} on {@code ga}), a KEYS_ONLY GSI ({@code gKeys} on {@code gk}), an INCLUDE GSI ({@code gInc} on
 * {@code gi}, projecting {@code inc}) and a KEYS_ONLY LSI ({@code lKeys} on {@code pk} + {@code ls}).
 *
 * <p>Sizes as DynamoDB counts them (name + value bytes): pk "p1" 4, sk "s1" 4, ga "A" 3, gk "K" 3, gi "I" 3,
 * ls "L" 3, inc "x" 4, unproj "y" 7; an index entry is table key + index key + projected attributes + 100 bytes.
 */
class IndexBillingTest {
    private static final String TABLE = "billing";
    private static Dynalite dynalite;
    private static DynamoDbClient plain;
    private static DynamoDbClient client;
    private static CapacityMeter meter;

    @BeforeAll
    static void start() {
        dynalite = Dynalite.start();
        plain = dynalite.client();
        meter = new CapacityMeter();
        client = dynalite.client(meter);
        plain.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr("pk"), attr("sk"), attr("ga"), attr("gk"), attr("gi"), attr("ls"))
                .keySchema(key("pk", KeyType.HASH), key("sk", KeyType.RANGE))
                .localSecondaryIndexes(LocalSecondaryIndex.builder().indexName("lKeys")
                        .keySchema(key("pk", KeyType.HASH), key("ls", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)).build())
                .globalSecondaryIndexes(
                        gsi("gAll", "ga", Projection.builder().projectionType(ProjectionType.ALL).build()),
                        gsi("gKeys", "gk", Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build()),
                        gsi("gInc", "gi", Projection.builder().projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes("inc").build())));
        plain.waiter().waitUntilTableExists(b -> b.tableName(TABLE));
        meter.billIndexes(TABLE, plain);
    }

    @AfterAll
    static void stop() {
        client.close();
        plain.close();
        dynalite.close();
    }

    @Test
    void describeTable_givesEveryIndexsKeyAndProjection() {
        TableIndexes t = TableIndexes.describe(plain, TABLE);
        assertThat(t.tableKeys()).containsExactly("pk", "sk");
        assertThat(t.indexes()).extracting(TableIndexes.Index::name, TableIndexes.Index::local,
                        TableIndexes.Index::keys, TableIndexes.Index::type, TableIndexes.Index::included)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("lKeys", true, List.of("pk", "ls"), ProjectionType.KEYS_ONLY,
                                java.util.Set.of()),
                        org.assertj.core.groups.Tuple.tuple("gAll", false, List.of("ga"), ProjectionType.ALL,
                                java.util.Set.of()),
                        org.assertj.core.groups.Tuple.tuple("gKeys", false, List.of("gk"), ProjectionType.KEYS_ONLY,
                                java.util.Set.of()),
                        org.assertj.core.groups.Tuple.tuple("gInc", false, List.of("gi"), ProjectionType.INCLUDE,
                                java.util.Set.of("inc")));
    }

    @Test
    void oneItemThroughEveryRule_billsEachIndexExactly() {
        Map<String, AttributeValue> item = new HashMap<>(key("p1"));
        item.putAll(Map.of("ga", s("A"), "gk", s("K"), "gi", s("I"), "ls", s("L"), "inc", s("x"), "unproj", s("y")));

        // New in every index: 1 put each, all entries under 1 KB (gAll: 31 + 100 B).
        CapacityMeter.Usage u = step(() -> client.putItem(b -> b.tableName(TABLE).item(item)));
        assertThat(u.byIndex()).isEqualTo(Map.of("gAll", 1.0, "gKeys", 1.0, "gInc", 1.0, "lKeys", 1.0));
        assertThat(u.indexWriteUnits()).isEqualTo(4.0);
        assertThat(u.writeUnits()).isEqualTo(1.0 + 4.0); // the table's 1 unit (dynalite) + the indexes'
        // The meter's own GetItems are neither counted as requests nor billed.
        assertThat(u.requests()).isEqualTo(Map.of("PutItem", 1L));
        assertThat(u.readUnits()).isZero();

        // The same item written again: nothing projected changed, no index is written.
        assertThat(step(() -> client.putItem(b -> b.tableName(TABLE).item(item))).byIndex()).isEmpty();

        // A non-projected attribute: only the ALL index is written.
        assertThat(update("SET unproj = :v", Map.of(":v", s("z"))).byIndex()).isEqualTo(Map.of("gAll", 1.0));

        // The INCLUDE index's projected attribute: gAll and gInc, not the KEYS_ONLY ones.
        assertThat(update("SET inc = :v", Map.of(":v", s("w"))).byIndex())
                .isEqualTo(Map.of("gAll", 1.0, "gInc", 1.0));

        // An index key A→B: delete + put on gKeys (2), a projected change on gAll (1), gk is not in gInc.
        assertThat(update("SET gk = :v", Map.of(":v", s("K2"))).byIndex()).isEqualTo(Map.of("gKeys", 2.0, "gAll", 1.0));

        // The LSI's sort key A→B: 2 on lKeys.
        assertThat(update("SET ls = :v", Map.of(":v", s("L2"))).byIndex()).isEqualTo(Map.of("lKeys", 2.0, "gAll", 1.0));

        // The index key removed: 1 delete of the gInc entry.
        assertThat(update("REMOVE gi", Map.of()).byIndex()).isEqualTo(Map.of("gInc", 1.0, "gAll", 1.0));

        // A previously undefined index key defined: 1 put.
        assertThat(update("SET gi = :v", Map.of(":v", s("I2"))).byIndex()).isEqualTo(Map.of("gInc", 1.0, "gAll", 1.0));

        // Now pk 4, sk 4, ga 3, gk 4, gi 4, ls 4, inc 4, unproj 7 = 34 B. A 1,000-character attribute "big" (1,003 B)
        // only the ALL index projects: its entry 34 + 1,003 + 100 = 1,137 B → 2 units.
        assertThat(update("SET big = :v", Map.of(":v", s("b".repeat(1000)))).byIndex()).isEqualTo(Map.of("gAll", 2.0));

        // inc grows from 4 to 1,003 B: gAll 2,136 B → 3 units; gInc 8 + 4 + 1,003 + 100 = 1,115 B → 2 units.
        assertThat(update("SET inc = :v", Map.of(":v", s("i".repeat(1000)))).byIndex())
                .isEqualTo(Map.of("gAll", 3.0, "gInc", 2.0));

        // Deleted: 1 delete per index, of the old entry's size (gKeys 8 + 4 + 100, lKeys 8 + 4 + 100).
        CapacityMeter.Usage d = step(() -> client.deleteItem(b -> b.tableName(TABLE).key(key("p1"))));
        assertThat(d.byIndex()).isEqualTo(Map.of("gAll", 3.0, "gInc", 2.0, "gKeys", 1.0, "lKeys", 1.0));
        assertThat(d.indexWriteUnits()).isEqualTo(7.0);
    }

    @Test
    void anItemWithoutIndexKeys_writesNoIndex_andAFailedConditionWritesNone() {
        CapacityMeter.Usage u = step(() -> client.putItem(b -> b.tableName(TABLE).item(Map.of("pk", s("p2"),
                "sk", s("s"), "unproj", s("y")))));
        assertThat(u.byIndex()).isEmpty();
        assertThat(u.indexWriteUnits()).isZero();
        assertThat(u.writeUnits()).isEqualTo(1.0);

        CapacityMeter.Usage before = meter.usage();
        assertThatThrownBy(() -> client.putItem(b -> b.tableName(TABLE).conditionExpression("attribute_not_exists(pk)")
                .item(Map.of("pk", s("p2"), "sk", s("s"), "ga", s("A")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        CapacityMeter.Usage f = meter.usage().minus(before);
        assertThat(f.failedConditions()).isEqualTo(1);
        assertThat(f.writeUnits()).isEqualTo(1.0); // the table's approximation, no index
        assertThat(f.byIndex()).isEmpty();
    }

    @Test
    void batchWrite_billsEachItemsIndexes() {
        CapacityMeter.Usage u = step(() -> client.batchWriteItem(b -> b.requestItems(Map.of(TABLE, List.of(
                put(Map.of("pk", s("p3"), "sk", s("a"), "ga", s("A"))),
                put(Map.of("pk", s("p3"), "sk", s("b"), "gk", s("K"), "gi", s("I"))))))));
        assertThat(u.byIndex()).isEqualTo(Map.of("gAll", 1.0, "gKeys", 1.0, "gInc", 1.0));
        assertThat(u.indexWriteUnits()).isEqualTo(3.0);
    }

    private static CapacityMeter.Usage step(Runnable write) {
        CapacityMeter.Usage before = meter.usage();
        write.run();
        return meter.usage().minus(before);
    }

    private static CapacityMeter.Usage update(String expression, Map<String, AttributeValue> values) {
        return step(() -> client.updateItem(b -> {
            b.tableName(TABLE).key(key("p1")).updateExpression(expression);
            if (!values.isEmpty()) {
                b.expressionAttributeValues(values);
            }
        }));
    }

    private static WriteRequest put(Map<String, AttributeValue> item) {
        return WriteRequest.builder().putRequest(PutRequest.builder().item(item).build()).build();
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk), "sk", s("s1"));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static GlobalSecondaryIndex gsi(String name, String hash, Projection p) {
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(key(hash, KeyType.HASH)).projection(p).build();
    }
}
