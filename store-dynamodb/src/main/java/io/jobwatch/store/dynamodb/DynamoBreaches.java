package io.jobwatch.store.dynamodb;

import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.BreachKind;
import io.jobwatch.core.sla.BreachStore;
import io.jobwatch.core.sla.Confidence;
import io.jobwatch.core.store.RunStoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The SLA breaches currently raised, in the run store's table: {@code pk = JOB#<jobId>}, {@code sk = BREACH#<kind>},
 * flagged {@code g = BREACH#ACTIVE} so {@link #active()} is one Query on the sparse {@code summaries} index (never a
 * Scan). A cleared breach is deleted. No TTL: a breach lives as long as its condition.
 */
public final class DynamoBreaches implements BreachStore {
    static final String BREACH = "BREACH#";
    static final String ACTIVE_FLAG = "BREACH#ACTIVE";

    private final DynamoDbClient client;
    private final String table;

    public DynamoBreaches(DynamoDbClient client, String table) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public List<Breach> active() {
        List<Breach> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        try {
            do {
                QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(Items.SUMMARIES)
                        .keyConditionExpression("g = :g").expressionAttributeValues(Map.of(":g", AttributeValue.fromS(ACTIVE_FLAG)));
                if (start != null) {
                    q.exclusiveStartKey(start);
                }
                QueryResponse r = client.query(q.build());
                for (Map<String, AttributeValue> i : r.items()) {
                    out.add(new Breach(JobKey.parse(i.get("job").s()), BreachKind.valueOf(i.get("kind").s()),
                            Instant.parse(i.get("expectedAt").s()), Instant.parse(i.get("detectedAt").s()),
                            i.get("detail").s(), Confidence.valueOf(i.get("confidence").s()),
                            i.containsKey("runId") ? i.get("runId").s() : null, i.get("pages").bool()));
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null);
        } catch (SdkException e) {
            throw new RunStoreException("breaches in table " + table + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing((Breach b) -> b.job().id()).thenComparing(Breach::kind));
        return out;
    }

    @Override
    public void raise(Breach b) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(Items.PK, AttributeValue.fromS(Items.pk(b.job())));
        item.put(Items.SK, AttributeValue.fromS(BREACH + b.kind().name()));
        item.put(Items.SUMMARY_FLAG, AttributeValue.fromS(ACTIVE_FLAG));
        item.put("job", AttributeValue.fromS(b.job().id()));
        item.put("kind", AttributeValue.fromS(b.kind().name()));
        item.put("expectedAt", AttributeValue.fromS(b.expectedAt().toString()));
        item.put("detectedAt", AttributeValue.fromS(b.detectedAt().toString()));
        item.put("detail", AttributeValue.fromS(b.detail()));
        item.put("confidence", AttributeValue.fromS(b.confidence().name()));
        if (b.runId() != null) {
            item.put("runId", AttributeValue.fromS(b.runId()));
        }
        item.put("pages", AttributeValue.fromBool(b.pages()));
        try {
            client.putItem(p -> p.tableName(table).item(item));
        } catch (SdkException e) {
            throw new RunStoreException("breaches in table " + table + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void clear(JobKey job, BreachKind kind) {
        try {
            client.deleteItem(d -> d.tableName(table).key(Map.of(Items.PK, AttributeValue.fromS(Items.pk(job)),
                    Items.SK, AttributeValue.fromS(BREACH + kind.name()))));
        } catch (SdkException e) {
            throw new RunStoreException("breaches in table " + table + ": " + e.getMessage(), e);
        }
    }
}
