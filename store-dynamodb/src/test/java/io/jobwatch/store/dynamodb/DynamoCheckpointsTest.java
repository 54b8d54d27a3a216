package io.jobwatch.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoCheckpointsTest {
    @Test
    void put_get_andAllOfAKind_inTheHandlersStateItems() {
        DynamoDbClient client = Dynalite.shared().client();
        String table = "checkpoints-" + System.nanoTime();
        DynamoRunStore.createTable(client, table);
        DynamoCheckpoints checkpoints = new DynamoCheckpoints(client, table);
        Instant t = Instant.parse("2026-03-02T15:00:00Z");

        assertThat(checkpoints.get(DynamoCheckpoints.INCIDENTS, DynamoCheckpoints.CHECKPOINT)).isEmpty();
        checkpoints.put(DynamoCheckpoints.INCIDENTS, DynamoCheckpoints.CHECKPOINT, t);
        checkpoints.put(DynamoCheckpoints.RECONCILE, "glue-job/111122223333/eu-west-1", t.plusSeconds(60));
        checkpoints.put(DynamoCheckpoints.RECONCILE, "batch/111122223333/eu-west-1", t.plusSeconds(120));

        assertThat(checkpoints.get(DynamoCheckpoints.INCIDENTS, DynamoCheckpoints.CHECKPOINT)).contains(t);
        assertThat(checkpoints.all(DynamoCheckpoints.RECONCILE)).isEqualTo(Map.of(
                "glue-job/111122223333/eu-west-1", t.plusSeconds(60), "batch/111122223333/eu-west-1", t.plusSeconds(120)));
        Map<String, AttributeValue> item = client.getItem(b -> b.tableName(table).key(Map.of(
                "pk", AttributeValue.fromS("CHECKPOINT#incidents"), "sk", AttributeValue.fromS("CHECKPOINT")))).item();
        assertThat(item.get("at").s()).isEqualTo("2026-03-02T15:00:00Z");
        assertThat(item).doesNotContainKey("ttl");
    }
}
