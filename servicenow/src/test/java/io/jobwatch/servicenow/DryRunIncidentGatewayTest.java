package io.jobwatch.servicenow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.incident.InMemoryIncidentStore;
import io.jobwatch.core.incident.InMemoryOutbox;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentRules;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.JobRunFeed;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DryRunIncidentGatewayTest {
    @TempDir
    Path dir;

    @Test
    void lifecycle_writesTheRequestsItWouldSend_asJsonLines_withFakeNumbers() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T00:00:00Z"));
        Path file = dir.resolve("out/incidents.jsonl");
        DryRunIncidentGateway gateway = new DryRunIncidentGateway(file, new IncidentDefaults("caller1", "Software", null), clock);
        InMemoryIncidentStore store = new InMemoryIncidentStore();
        InMemoryOutbox outbox = new InMemoryOutbox();
        OutboxProcessor processor = new OutboxProcessor(gateway, store, outbox, clock, RetryBackoff.defaults());
        JobKey key = new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "fin-ledger-load");
        JobRunFeed job = new JobRunFeed(key, new IncidentTracker(new IncidentPolicy(clock), store, outbox, clock), clock)
                .rules(IncidentRules.defaults().withSystem("FinData"));

        job.fail(Duration.ofHours(1));
        processor.drainDue();
        job.fail(Duration.ofHours(1));
        job.succeed(Duration.ofHours(1));
        processor.drainDue();
        job.fail(Duration.ofDays(1)); // a new incident: the first one is resolved
        processor.drainDue();

        ObjectMapper m = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String l : Files.readAllLines(file)) {
            lines.add(m.readTree(l));
        }
        assertThat(lines).extracting(n -> n.path("method").asText() + " " + n.path("number").asText(""))
                .containsExactly("GET ", "POST DRY0000001", "PATCH DRY0000001", "PATCH DRY0000001", "GET ", "POST DRY0000002");
        JsonNode create = lines.get(1).path("body");
        assertThat(create.path("short_description").asText()).isEqualTo("[FinData] Glue job fin-ledger-load FAILED");
        assertThat(create.path("caller_id").asText()).isEqualTo("caller1");
        assertThat(create.path("category").asText()).isEqualTo("Software");
        assertThat(create.path("urgency").asText()).isEqualTo("2");
        assertThat(lines.get(0).path("query").asText())
                .isEqualTo("correlation_id=glue-job:234567890123:eu-west-1:fin-ledger-load^active=true^stateNOT IN6,7,8^ORDERBYDESCsys_created_on");
        assertThat(lines.get(3).path("body").path("state").asText()).isEqualTo("6");
        assertThat(lines.get(3).path("path").asText()).isEqualTo("/api/now/table/incident/dry0000001");
        assertThat(store.find(key, ProblemKind.FAILURE).orElseThrow().number()).isEqualTo("DRY0000002");
    }
}
