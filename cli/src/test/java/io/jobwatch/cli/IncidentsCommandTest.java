package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.incident.IncidentFixtures;
import io.jobwatch.core.incident.IncidentState;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.store.sqlite.SqliteIncidents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobwatch incidents --format json} and {@code --outbox --format json}: the documented fields, one per line. */
class IncidentsCommandTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }

    private static List<String> fields(JsonNode n) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = n.fieldNames();
        it.forEachRemaining(names::add);
        return names;
    }

    @Test
    void incidents_json_printsOneOpenIncidentPerLine_withTheFullJobId() throws Exception {
        String db = dir.resolve("j.db").toString();
        IngestAndRunsCommandTest.Result ingest = IngestAndRunsCommandTest.run(IngestAndRunsCommandTest.argsOf(
                List.of("ingest", "--db", db), IngestAndRunsCommandTest.fixtures()));
        assertThat(ingest.code()).isZero();

        IngestAndRunsCommandTest.Result r = IngestAndRunsCommandTest.run("incidents", "--db", db, "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> open = lines(r.out());
        IngestAndRunsCommandTest.Result table = IngestAndRunsCommandTest.run("incidents", "--db", db);
        assertThat(table.out()).startsWith(open.size() + " open incident");
        assertThat(open).isNotEmpty().allSatisfy(n -> {
            assertThat(fields(n)).containsExactly("number", "kind", "job", "state", "openedAt", "updatedAt", "runs",
                    "sysId");
            assertThat(n.get("state").asText()).isEqualTo("OPEN");
            assertThat(n.get("kind").asText()).isEqualTo("FAILURE");
            assertThat(n.get("job").asText()).matches("[a-z-]+:\\d{12}:[a-z0-9-]+:.+");
            assertThat(n.get("number").asText()).startsWith("DRY");
            assertThat(n.get("sysId").asText()).startsWith("dry");
            assertThat(n.get("runs").asInt()).isPositive();
            assertThat(java.time.Instant.parse(n.get("openedAt").asText()))
                    .isBeforeOrEqualTo(java.time.Instant.parse(n.get("updatedAt").asText()));
        });
    }

    @Test
    void outbox_json_printsPendingAndParkedActions_oneObjectPerLine() throws Exception {
        Path db = dir.resolve("j.db");
        try (SqliteIncidents incidents = new SqliteIncidents(db)) {
            var open = IncidentFixtures.open(IncidentFixtures.LEDGER, "jr_1");
            var update = IncidentFixtures.update(IncidentFixtures.LEDGER, "jr_2");
            OutboxEntry first = incidents.append(IncidentState.keyOf(open), 1, open, IncidentFixtures.T0);
            incidents.append(IncidentState.keyOf(update), 2, update, IncidentFixtures.T0);
            incidents.claim(first.id(), "t", IncidentFixtures.T0, IncidentFixtures.T0.plusSeconds(60));
            incidents.park(first.id(), "t", IncidentFixtures.T0, "HTTP 403 ACL", 403, "{}");
        }
        IngestAndRunsCommandTest.Result r = IngestAndRunsCommandTest.run("incidents", "--db", db.toString(),
                "--outbox", "--format", "json");
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> entries = lines(r.out());
        assertThat(entries).hasSize(2).allSatisfy(n -> assertThat(fields(n)).containsExactly("action",
                "correlationId", "status", "attempts", "lastError"));
        assertThat(entries.get(0).get("action").asText()).isEqualTo("update");
        assertThat(entries.get(0).get("status").asText()).isEqualTo("PENDING");
        assertThat(entries.get(0).get("lastError").isNull()).isTrue();
        assertThat(entries.get(1).get("action").asText()).isEqualTo("open");
        assertThat(entries.get(1).get("status").asText()).isEqualTo("PARKED");
        assertThat(entries.get(1).get("lastError").asText()).isEqualTo("HTTP 403 ACL");
        assertThat(entries.get(1).get("correlationId").asText())
                .isEqualTo("glue-job:234567890123:eu-west-1:fin-ledger-load");
    }
}
