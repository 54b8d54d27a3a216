package io.jobwatch.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDeliveryLogTest {
    @Test
    void record_thenPreviousFailed_perTeam_inTheDigestLambdasStateItem() {
        DynamoDbClient client = Dynalite.shared().client();
        String table = "deliveries-" + System.nanoTime();
        DynamoRunStore.createTable(client, table);
        DynamoDeliveryLog log = new DynamoDeliveryLog(client, table);
        Instant end = Instant.parse("2026-03-02T15:00:00Z");

        assertThat(log.previousFailed("erp-ops")).as("nothing recorded yet").isFalse();
        log.record("erp-ops", end, true);
        log.record("finance-close", end, false);
        assertThat(log.previousFailed("erp-ops")).isTrue();
        assertThat(log.previousFailed("finance-close")).isFalse();
        log.record("erp-ops", end.plusSeconds(3600), false);
        assertThat(log.previousFailed("erp-ops")).isFalse();
        assertThat(log.lastWindowEnds()).isEqualTo(Map.of("erp-ops", end.plusSeconds(3600), "finance-close", end));

        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("CHECKPOINT#digest"), "sk", AttributeValue.fromS("TEAM#erp-ops")))).item();
        assertThat(item.get("windowEnd").s()).isEqualTo("2026-03-02T16:00:00Z");
        assertThat(item.get("deliveryFailed").s()).isEqualTo("false");
    }
}
