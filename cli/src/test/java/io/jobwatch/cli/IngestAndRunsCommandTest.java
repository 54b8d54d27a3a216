package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

class IngestAndRunsCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    static List<String> fixtures() throws Exception {
        try (Stream<Path> files = Files.walk(StoreFixtures.repo().resolve("examples/events"))) {
            return files.map(Path::toString).filter(f -> f.endsWith(".json")).sorted().toList();
        }
    }

    static String[] argsOf(List<String> head, List<String> files) {
        return args(head, files);
    }

    private static String[] args(List<String> head, List<String> files) {
        List<String> all = new ArrayList<>(head);
        all.addAll(files);
        return all.toArray(String[]::new);
    }

    @Test
    void ingest_countsOutcomes_andIsIdempotentOnReplay() throws Exception {
        String db = dir.resolve("j.db").toString();
        Result first = run(args(List.of("ingest", "--db", db), fixtures()));
        assertThat(first.code()).isZero();
        assertThat(first.out()).isEqualTo("created 42, advanced 12, duplicate 0, stale 5, rejected 0\n");
        Result again = run(args(List.of("ingest", "--db", db), fixtures()));
        assertThat(again.out()).isEqualTo("created 0, advanced 0, duplicate 59, stale 0, rejected 0\n");
    }

    @Test
    void ingest_parksRejectedEvents_andExitsWith2() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"id\":\"x\",\"source\":\"aws.glue\",\"detail-type\":\"Glue Job State Change\","
                + "\"account\":\"123456789012\",\"region\":\"eu-west-1\",\"time\":\"2026-03-02T01:00:00Z\","
                + "\"detail\":{\"jobName\":\"j\",\"state\":\"FAILED\"}}\nnot json\n");
        String db = dir.resolve("j.db").toString();
        Result r = run("ingest", "--db", db, bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).endsWith("rejected 2\n");
        assertThat(r.err()).contains(bad + ":0: line 1: detail.jobRunId").contains(bad + ":1: line 2:");
        try (var store = new io.jobwatch.store.sqlite.SqliteRunStore(Path.of(db), java.time.Clock.systemUTC(), Duration.ofDays(7))) {
            assertThat(store.parked(10)).hasSize(2).allSatisfy(p -> assertThat(p.source()).startsWith(bad.toString()));
        }
    }

    @Test
    void runs_printsJsonLinesWithTheNormalizeFieldsAndStoreFields_filteredByJobAndState() throws Exception {
        String db = dir.resolve("j.db").toString();
        run(args(List.of("ingest", "--db", db), fixtures()));
        Result r = run("runs", "--db", db, "--since", "3650d", "--format", "json", "--job", "customer-dim-refresh",
                "--state", "timed_out");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode run = new ObjectMapper().readTree(lines.get(0));
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = run.fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
        assertThat(fields).containsExactly("source", "account", "region", "jobName", "runId", "state", "sourceState",
                "terminal", "failed", "eventId", "eventTime", "startedAt", "endedAt", "error", "attempt", "warning",
                "firstSeen", "lastUpdated", "eventCount", "rawJobName");
        assertThat(run.get("state").asText()).isEqualTo("TIMED_OUT");
        assertThat(run.get("eventCount").asInt()).isEqualTo(1);
        assertThat(run.get("attempt").asInt()).isEqualTo(1);
        assertThat(run.get("warning").isNull()).isTrue();
        assertThat(run.get("rawJobName").asText()).isEqualTo("customer-dim-refresh");

        Result table = run("runs", "--db", db, "--since", "3650d");
        assertThat(table.out()).contains("raw-orders-s3-crawler").endsWith("42 run(s)\n");
        assertThat(run("runs", "--db", db, "--since", "90x").err()).contains("'90x' is not a duration; write e.g. 90m, 2h, 1h30m, 45s, 7d or PT2H");
    }

    @Test
    void ingestAndRuns_workAgainstDynamoDb() throws Exception {
        Dynalite d = Dynalite.shared();
        try (DynamoDbClient client = d.client()) {
            DynamoRunStore.createTable(client, "cli-runs");
        }
        List<String> store = List.of("--store", "dynamodb", "--table", "cli-runs", "--endpoint", d.endpoint().toString(),
                "--data-dir", dir.toString());
        List<String> head = new ArrayList<>(List.of("ingest"));
        head.addAll(store);
        // The CLI uses the SDK's default credentials chain; a local stand-in accepts any keys.
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        try {
            Result r = run(args(head, fixtures()));
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).isEqualTo("created 42, advanced 12, duplicate 0, stale 5, rejected 0\n");
            // runsBetween queries one day bucket per day: keep the window just wide enough for the fixtures (March 2026).
            long days = java.time.temporal.ChronoUnit.DAYS.between(java.time.LocalDate.parse("2026-03-01"),
                    java.time.LocalDate.now(java.time.ZoneOffset.UTC)) + 2;
            List<String> runs = new ArrayList<>(List.of("runs", "--since", days + "d", "--format", "json"));
            runs.addAll(store);
            assertThat(run(runs.toArray(String[]::new)).out().lines()).hasSize(40);
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void durations_acceptShortAndIsoForms() {
        DurationConverter options = new DurationConverter();
        assertThat(options.convert("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(options.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(options.convert("1h30m")).as("the catalog's syntax, the same everywhere").isEqualTo(Duration.ofMinutes(90));
        assertThat(options.convert("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(options.convert("PT2H")).isEqualTo(Duration.ofHours(2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options.convert("0s"))
                .hasMessageContaining("positive");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> options.convert("90"))
                .hasMessageContaining("has no unit");
    }

    @Test
    void demo_ingestsIntoAFreshSqliteFile_andShowsTheLatestStatePerJob() {
        Result r = run("demo", "--date", "2026-03-01", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("Latest finished run per job:").contains("erp-orders-nightly-etl");
        assertThat(dir.resolve("jobwatch.db")).exists();
    }
}
