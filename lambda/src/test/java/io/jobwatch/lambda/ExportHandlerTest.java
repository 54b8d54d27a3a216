package io.jobwatch.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.export.s3.S3rver;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The export handler jar-in-hand against dynalite (runs from the repository's real samples) and s3rver: the
 * scheduled day lands under the expected keys with a manifest, and a re-run overwrites the same objects.
 */
class ExportHandlerTest {
    static final String BUCKET = "jobwatch-export";
    static S3rver s3rver;
    static S3Client s3;

    /** Two days after the samples' day (2026-03-02): the scheduled export writes that day now. */
    final TestClock clock = new TestClock(Instant.parse("2026-03-04T03:00:00Z"));
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    DynamoDbClient dynamo;
    String table;
    String prefix;

    @BeforeAll
    static void startS3() throws IOException {
        s3rver = S3rver.start(BUCKET);
        s3 = s3rver.client();
    }

    @AfterAll
    static void stopS3() {
        s3.close();
        s3rver.close();
    }

    @BeforeEach
    void setUp() {
        dynamo = Dynalite.shared().client();
        table = Fixtures.newTable(dynamo);
        prefix = "export-" + table + "/";
    }

    ExportHandler handler() {
        Env env = Fixtures.env(table, Map.of());
        ExportHandler.Settings settings = ExportHandler.Settings.from(Map.of(ExportHandler.BUCKET, BUCKET,
                ExportHandler.PREFIX, prefix));
        return new ExportHandler(env, settings, Fixtures.catalog(), dynamo, s3, clock, log);
    }

    /** Every sample of examples/events through the normalizer into the store, as ingest would. */
    RunStore ingestSamples() {
        RunStore store = new DynamoRunStore(dynamo, table, clock, RunStore.DEFAULT_RETENTION);
        EventNormalizer normalizer = new EventNormalizer();
        for (Path p : Fixtures.allSamples()) {
            Normalization n = normalizer.normalize(Fixtures.tree(Fixtures.read(p)));
            if (n instanceof Normalization.Normalized normalized) {
                store.apply(normalized.event());
            }
        }
        return store;
    }

    @Test
    void scheduledExport_writesTheDayBeforeYesterday_underItsPartitionKey_withAManifest_andARerunOverwrites()
            throws Exception {
        RunStore store = ingestSamples();
        List<String> runIds = new ArrayList<>();
        store.runsBetween(Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z"),
                r -> runIds.add(r.runId()));
        assertThat(runIds).as("samples stored on 2026-03-02").isNotEmpty();

        JsonNode first = Fixtures.invoke(handler(), "{\"task\":\"export\"}");

        assertThat(first.get("export").asText()).isEqualTo("2026-03-02_2026-03-02");
        assertThat(first.get("rows").asInt()).isEqualTo(runIds.size());
        String dataKey = prefix + "runs/dt=2026-03-02/runs.csv.gz";
        String manifestKey = prefix + "manifests/2026-03-02_2026-03-02.json";
        // The rollups are written beside the runs: the day, and the days the first daily pass caught up on.
        String rollupKey = prefix + "rollups/dt=2026-03-02/rollups.csv.gz";
        assertThat(keys()).filteredOn(k -> !k.startsWith(prefix + "rollups/")).containsExactlyInAnyOrder(dataKey, manifestKey);
        assertThat(keys()).contains(rollupKey);
        assertThat(csv(rollupKey).get(0)).isEqualTo(String.join(",", io.jobwatch.core.export.RollupExporter.COLUMNS));
        assertThat(first.get("objects").get(0).get("uri").asText()).isEqualTo("s3://" + BUCKET + "/" + dataKey);
        List<String> lines = csv(dataKey);
        assertThat(lines.get(0)).startsWith("run_id,source,account,system,region,job_name,team,criticality,state");
        assertThat(lines).hasSize(runIds.size() + 1);
        assertThat(String.join("\n", lines)).contains(runIds.get(0))
                // the catalog's system and team for the Orders account's Glue job
                .contains("nightly-orders-etl").contains("Orders").contains("orders-ops");
        JsonNode manifest = Fixtures.JSON.readTree(s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(manifestKey)).asByteArray());
        assertThat(manifest.path("rows").asInt()).isEqualTo(runIds.size());

        // A late run of that day, then the same export again (a retry, a backfill): same keys, new content.
        store.apply(((Normalization.Normalized) new EventNormalizer().normalize(Fixtures.tree(Fixtures.glue(
                "late-event", "nightly-orders-etl", "jr_late", "FAILED", Instant.parse("2026-03-02T23:00:00Z")))))
                .event());
        JsonNode second = Fixtures.invoke(handler(), "{\"from\":\"2026-03-02\",\"to\":\"2026-03-02\"}");

        assertThat(second.get("rows").asInt()).isEqualTo(runIds.size() + 1);
        assertThat(keys()).filteredOn(k -> !k.startsWith(prefix + "rollups/")).containsExactlyInAnyOrder(dataKey, manifestKey);
        assertThat(csv(dataKey)).hasSize(runIds.size() + 2).anyMatch(l -> l.startsWith("jr_late,"));
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("export: 2026-03-02_2026-03-02");
    }

    @Test
    void exportOfDaysBeyondTheRetention_isRefusedWithTheReason_andWritesNothing() {
        assertThatThrownBy(() -> Fixtures.invoke(handler(), "{\"week\":\"2026-W05\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot export 2026-01-26")
                .hasMessageContaining("JOBWATCH_RETENTION_DAYS");
        assertThatThrownBy(() -> Fixtures.invoke(handler(), "{\"from\":\"2026-03-02\"}"))
                .hasMessageContaining("\"from\" and \"to\" go together");
        assertThat(keys()).isEmpty();
    }

    @Test
    void settings_requireTheBucket_andCheckEncryptionAndParallelism() {
        assertThatThrownBy(() -> ExportHandler.Settings.from(Map.of()))
                .hasMessageContaining("JOBWATCH_EXPORT_BUCKET is not set");
        assertThatThrownBy(() -> ExportHandler.Settings.from(Map.of(ExportHandler.BUCKET, "bucket-x",
                ExportHandler.SSE, "rot13"))).hasMessageStartingWith("JOBWATCH_EXPORT_SSE");
        assertThatThrownBy(() -> ExportHandler.Settings.from(Map.of(ExportHandler.BUCKET, "bucket-x",
                ExportHandler.PARALLEL, "0"))).hasMessageContaining("from 1 to 16");
        ExportHandler.Settings s = ExportHandler.Settings.from(Map.of(ExportHandler.BUCKET, "bucket-x",
                ExportHandler.PREFIX, "export"));
        assertThat(s.target().key("runs/x")).isEqualTo("export/runs/x");
        assertThat(s.parallelism()).isEqualTo(4);
    }

    private List<String> keys() {
        return s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    private List<String> csv(String key) throws IOException {
        byte[] gz = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
