package io.jobwatch.servicenow;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.jobwatch.core.incident.GatewayException;
import io.jobwatch.core.incident.InMemoryIncidentStore;
import io.jobwatch.core.incident.InMemoryOutbox;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.JobRunFeed;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A whole lifecycle, failures included, with every log line and error text captured: no secret anywhere. */
class SecretsNotLoggedTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String PASSWORD = "Zq8-very-secret-pw";
    static final String TOKEN = "eyJ0b2tlbi1zZWNyZXQ";

    final List<String> captured = new ArrayList<>();
    final Logger jul = Logger.getLogger("io.jobwatch.servicenow");
    final Handler handler = new Handler() {
        final SimpleFormatter f = new SimpleFormatter();

        @Override
        public void publish(LogRecord r) {
            captured.add(f.format(r));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    Level previous;

    @BeforeEach
    void capture() {
        previous = jul.getLevel();
        jul.setLevel(Level.ALL);
        jul.addHandler(handler);
    }

    @AfterEach
    void release() {
        jul.removeHandler(handler);
        jul.setLevel(previous);
    }

    private void lifecycle(Credentials credentials) throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T00:00:00Z"));
        ServiceNowSettings settings = ServiceNowSettings.of(wm.baseUrl(), credentials);
        captured.add(settings.toString());
        TableApiIncidentGateway gateway = new TableApiIncidentGateway(settings, clock);
        InMemoryIncidentStore store = new InMemoryIncidentStore();
        InMemoryOutbox outbox = new InMemoryOutbox();
        OutboxProcessor processor = new OutboxProcessor(gateway, store, outbox, clock,
                new RetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10), () -> 0.5));
        JobRunFeed job = new JobRunFeed(new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "fin-ledger-load"),
                new IncidentTracker(new IncidentPolicy(clock), store, outbox, clock), clock);

        wm.resetAll();
        wm.stubFor(WireMock.get(urlPathEqualTo("/api/now/table/incident")).willReturn(okJson("{\"result\":[]}")));
        wm.stubFor(WireMock.post(urlPathEqualTo("/api/now/table/incident")).inScenario("s").whenScenarioStateIs("Started")
                .willSetStateTo("up").willReturn(aResponse().withStatus(503).withBody("{\"error\":{\"message\":\"busy\"}}")));
        wm.stubFor(WireMock.post(urlPathEqualTo("/api/now/table/incident")).inScenario("s").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(201).withBody("{\"result\":{\"sys_id\":\"s1\",\"number\":\"INC1\",\"state\":\"1\"}}")));
        wm.stubFor(WireMock.patch(urlPathMatching("/api/now/table/incident/s1"))
                .willReturn(okJson("{\"result\":{\"sys_id\":\"s1\",\"number\":\"INC1\",\"state\":\"2\"}}")));

        job.fail(Duration.ofHours(1));
        processor.drain(Duration.ofMinutes(1), clock::advance);
        job.fail(Duration.ofHours(1));
        job.succeed(Duration.ofHours(1));
        processor.drain(Duration.ofMinutes(1), clock::advance);
        for (OutboxEntry e : outbox.all()) {
            captured.add(e.toString());
        }
        // a parked failure, with its message and body
        wm.stubFor(WireMock.patch(urlPathMatching("/api/now/table/incident/bad"))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":{\"message\":\"User Not Authenticated\"}}")));
        try {
            gateway.update("bad", "note");
        } catch (GatewayException e) {
            captured.add(e.getMessage() + " " + e.responseBody());
        }
        // no response at all
        TableApiIncidentGateway nowhere = new TableApiIncidentGateway(
                ServiceNowSettings.of("http://127.0.0.1:1", credentials).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1)), clock);
        try {
            nowhere.findOpen("x");
        } catch (GatewayException e) {
            captured.add(e.getMessage() + " " + e.getCause());
        }
    }

    private void assertNoSecret(String... secrets) {
        assertThat(captured).isNotEmpty();
        assertThat(captured).anySatisfy(line -> assertThat(line).contains("ServiceNow POST /api/now/table/incident"));
        String all = String.join("\n", captured);
        for (String secret : secrets) {
            assertThat(all).doesNotContain(secret);
        }
    }

    @Test
    void basicAuthLifecycle_logsNoPassword() throws Exception {
        lifecycle(new Credentials.Basic("svc-jobwatch", PASSWORD));
        String header = Base64.getEncoder().encodeToString(("svc-jobwatch:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertNoSecret(PASSWORD, header);
    }

    @Test
    void bearerLifecycle_logsNoToken() throws Exception {
        lifecycle(new Credentials.Bearer(TOKEN));
        assertNoSecret(TOKEN);
    }

    @Test
    void settingsErrors_nameTheVariable_neverTheSecret() {
        assertThatThrownBy(() -> ServiceNowSettings.fromEnv(Map.of("SERVICENOW_URL", "https://x.service-now.com",
                "SERVICENOW_PASSWORD", PASSWORD), null))
                .hasMessage("SERVICENOW_PASSWORD is set but SERVICENOW_USER is not: set both for basic auth")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        assertThatThrownBy(() -> ServiceNowSettings.fromEnv(Map.of("SERVICENOW_URL", "ftp://u:" + PASSWORD + "@x"), null))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
        assertThatThrownBy(() -> ServiceNowSettings.fromEnv(Map.of("SERVICENOW_URL", "https://u:" + PASSWORD + "@x.service-now.com",
                "SERVICENOW_TOKEN", TOKEN), null))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD).doesNotContain(TOKEN));
    }
}
