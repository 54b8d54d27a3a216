package io.jobwatch.store.dynamodb;

import io.jobwatch.core.detail.RunDetail;
import io.jobwatch.core.detail.RunDetails;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.store.RunStoreException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Run details in the run store's table, in partitions of their own: {@code pk = DETAIL#<sha-256 of job id and run id>}
 * (a job id and a run id together may be longer than a partition key holds), {@code sk = <detail id>}; attributes
 * {@code job}, {@code run}, {@code at}, {@code kind}, {@code text}, {@code xs} (expiry, epoch seconds) and the table's
 * TTL attribute. No index attribute is set, so details never appear in the run store's queries. One conditional
 * PutItem per detail (the same id again is refused by its condition: a no-op); reading a run's details is one Query.
 */
public final class DynamoRunDetails implements RunDetails {
    static final String PREFIX = "DETAIL#";
    /** Pages of one run's details read at most (a run of many /log pings still answers quickly; TTL deletes them). */
    static final int MAX_PAGES = 4;

    private final DynamoDbClient client;
    private final String table;

    public DynamoRunDetails(DynamoDbClient client, String table) {
        this.client = Objects.requireNonNull(client, "client");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public void add(RunDetail d, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond() + (expiresAt.getNano() > 0 ? 1 : 0);
        Map<String, AttributeValue> item = Map.of(
                Items.PK, AttributeValue.fromS(pk(d.run())),
                Items.SK, AttributeValue.fromS(d.id()),
                "job", AttributeValue.fromS(d.run().job().id()),
                "run", AttributeValue.fromS(d.run().runId()),
                "at", AttributeValue.fromS(d.at().toString()),
                "kind", AttributeValue.fromS(d.kind().name()),
                "text", AttributeValue.fromS(d.text()),
                "xs", AttributeValue.fromN(Long.toString(expires)),
                Items.TTL, AttributeValue.fromN(Long.toString(expires)));
        try {
            client.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", Items.PK)));
        } catch (ConditionalCheckFailedException duplicate) {
            // Kept already: the same detail again changes nothing.
        } catch (SdkException e) {
            throw new RunStoreException("cannot write a detail of " + d.run().job().id() + " to table " + table + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public List<RunDetail> of(RunKey run, Instant now) {
        List<RunDetail> out = new ArrayList<>();
        try {
            QueryRequest.Builder q = QueryRequest.builder().tableName(table)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", Items.PK))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk(run))));
            Map<String, AttributeValue> start = null;
            for (int page = 0; page < MAX_PAGES; page++) {
                if (start != null) {
                    q.exclusiveStartKey(start);
                }
                QueryResponse r = client.query(q.build());
                for (Map<String, AttributeValue> item : r.items()) {
                    // The same hash from another run cannot happen in practice; checked anyway.
                    boolean mine = run.job().id().equals(item.get("job").s()) && run.runId().equals(item.get("run").s());
                    if (mine && now.getEpochSecond() < Long.parseLong(item.get("xs").n())) {
                        out.add(new RunDetail(run, item.get(Items.SK).s(), Instant.parse(item.get("at").s()),
                                RunDetail.Kind.valueOf(item.get("kind").s()), item.get("text").s()));
                    }
                }
                if (!r.hasLastEvaluatedKey() || r.lastEvaluatedKey().isEmpty()) {
                    break;
                }
                start = r.lastEvaluatedKey();
            }
        } catch (SdkException e) {
            throw new RunStoreException("cannot read the details of " + run.job().id() + " run " + run.runId()
                    + " from table " + table + ": " + e.getMessage(), e);
        }
        out.sort(Comparator.comparing(RunDetail::at).thenComparing(RunDetail::id));
        return List.copyOf(out.subList(Math.max(0, out.size() - MAX_PER_RUN), out.size()));
    }

    static String pk(RunKey run) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((run.job().id() + "\n" + run.runId())
                    .getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
