package io.jobwatch.bench;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The seed's digest input: Scan the whole table into memory, then group in Java — per job its latest run and the
 * runs of the window (what every team's digest needs), for all teams at once.
 */
final class SeedDigestBaseline {
    private SeedDigestBaseline() {
    }

    /** @return jobs seen + runs in the window (a checksum that both designs must agree on roughly) */
    static long read(DynamoDbClient client, String table, Instant from, Instant to) {
        List<Map<String, AttributeValue>> all = new ArrayList<>();
        SeedTable.scan(client, table, all::add);
        Map<JobKey, Map<String, AttributeValue>> latest = new HashMap<>();
        long inWindow = 0;
        for (Map<String, AttributeValue> item : all) {
            Instant t = SeedTable.sortTime(item);
            latest.merge(SeedTable.job(item), item, (a, b) -> SeedTable.sortTime(a).isAfter(SeedTable.sortTime(b)) ? a : b);
            if (!t.isBefore(from) && t.isBefore(to)) {
                inWindow++;
            }
        }
        return latest.size() + inWindow;
    }
}
