package io.jobwatch.bench;

import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The seed's ingest: for every event, read the run's item (GetItem: read-before-write), merge the event in Java
 * (terminal states never regress, earliest start kept, duplicate event ids skipped) and write the whole item back
 * (PutItem). Two requests per event, one of them a read.
 */
final class SeedIngestBaseline {
    private final DynamoDbClient client;
    private final String table;
    private final Clock clock;

    SeedIngestBaseline(DynamoDbClient client, String table, Clock clock) {
        this.client = client;
        this.table = table;
        this.clock = clock;
    }

    void apply(RunEvent e) {
        // A crawler's terminal event has no run id: the seed keys it by its end.
        String runId = e.runId() != null ? e.runId() : "crawler@" + (e.endedAt() != null ? e.endedAt() : e.eventTime());
        Map<String, AttributeValue> key = Map.of(SeedTable.JOB, s(e.job().id()), SeedTable.RUN, s(runId));
        GetItemResponse got = client.getItem(b -> b.tableName(table).key(key));
        Map<String, AttributeValue> old = got.hasItem() && !got.item().isEmpty() ? got.item() : null;
        List<String> events = new ArrayList<>(old == null ? List.of() : old.get("events").ss());
        if (events.contains(e.eventId())) {
            return;
        }
        events.add(e.eventId());
        String now = Instant.now(clock).toString();
        Map<String, AttributeValue> item = new HashMap<>(old == null ? key : old);
        item.put("events", AttributeValue.builder().ss(events).build());
        item.put("updatedAt", s(now));
        item.putIfAbsent("firstSeen", s(now));
        RunState current = old == null ? null : SeedTable.state(old);
        boolean wins = current == null || (!current.terminal() && (e.state().terminal() || e.state().rank() > current.rank()));
        if (wins) {
            item.put("state", s(e.state().name()));
            item.put("sourceState", s(e.sourceState()));
        }
        Instant start = SeedTable.time(item, "startedAt");
        if (e.startedAt() != null && (start == null || e.startedAt().isBefore(start))) {
            item.put("startedAt", s(e.startedAt().toString()));
        }
        if (e.state().terminal() && wins) {
            item.put("endedAt", s((e.endedAt() != null ? e.endedAt() : e.eventTime()).toString()));
            if (e.error() != null) {
                item.put("error", s(e.error()));
            }
        }
        client.putItem(b -> b.tableName(table).item(item));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.builder().s(v).build();
    }
}
