package io.jobwatch.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentActionJson;
import io.jobwatch.core.incident.IncidentFixtures;
import io.jobwatch.core.incident.IncidentState;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Outbox entries live in their incident's partition ({@code pk = OUTBOX#<correlation id>}, {@code sk = <key>}); an
 * entry an earlier version wrote in a partition of its own ({@code pk = OUTBOX#<key>}, {@code sk = OUTBOX}) is moved
 * there when the pending list meets it, and is then claimed and sent like any other.
 */
class DynamoOutboxLayoutTest {
    private static final Instant T0 = Instant.parse("2026-03-03T12:00:00Z");

    @Test
    void anEntryOfAnEarlierVersion_isMovedToItsIncidentsPartition_andSentOnce() {
        DynamoDbClient client = Dynalite.shared().client();
        String table = "outbox-layout-" + System.identityHashCode(this);
        DynamoRunStore.createTable(client, table);
        DynamoIncidents outbox = new DynamoIncidents(client, table, Clock.systemUTC(), Duration.ofDays(7));
        IncidentAction open = IncidentFixtures.open(IncidentFixtures.LEDGER, "jr_1");
        String id = IncidentState.keyOf(open);
        Map<String, AttributeValue> legacy = new HashMap<>();
        legacy.put("pk", AttributeValue.fromS("OUTBOX#" + id));
        legacy.put("sk", AttributeValue.fromS("OUTBOX"));
        legacy.put("g", AttributeValue.fromS("OUTBOX#PENDING"));
        legacy.put("cid", AttributeValue.fromS(open.correlationId()));
        legacy.put("q", AttributeValue.fromN("1"));
        legacy.put("action", AttributeValue.fromS(IncidentActionJson.write(open)));
        legacy.put("createdAt", AttributeValue.fromS(T0.toString()));
        legacy.put("attempts", AttributeValue.fromN("0"));
        legacy.put("nextAt", AttributeValue.fromS(T0.toString()));
        legacy.put("status", AttributeValue.fromS("PENDING"));
        legacy.put("rs", AttributeValue.fromN("0"));
        client.putItem(b -> b.tableName(table).item(legacy));

        assertThat(outbox.waiting(open.correlationId())).as("not in the incident's partition yet").isEmpty();
        assertThat(outbox.pending()).extracting(OutboxEntry::id).containsExactly(id);
        assertThat(outbox.waiting(open.correlationId())).extracting(OutboxEntry::id).containsExactly(id);
        assertThat(client.getItem(b -> b.tableName(table).key(Map.of("pk", legacy.get("pk"), "sk", legacy.get("sk"))))
                .item()).as("the original is gone").isNullOrEmpty();
        assertThat(outbox.claim(id, "a", T0, T0.plusSeconds(60))).isTrue();
        assertThat(outbox.markSent(id, "a", T0.plusSeconds(1), "INC1")).isTrue();
        assertThat(outbox.pending()).isEmpty();
        assertThat(outbox.find(id).orElseThrow().status()).isEqualTo(OutboxEntry.Status.SENT);
    }
}
