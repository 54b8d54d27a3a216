package io.jobwatch.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.jobwatch.lambda.Fixtures.glue;
import static io.jobwatch.lambda.Fixtures.invoke;
import static io.jobwatch.lambda.Fixtures.sqs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.core.time.Sleeper;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The 5-minute function: SLA checks then the incident pass, in one invocation, against dynalite with the example
 * catalog, ServiceNow's Table API and Secrets Manager played by WireMock.
 */
class PeriodicHandlerTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String TABLE_API = "/api/now/table/incident";
    static final String MISSING = "glue-job:234567890123:eu-west-1:fin-close-reconciliation:MISSING";

    final TestClock clock = new TestClock(Instant.parse("2026-03-02T12:00:00Z"));
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    final Sleeper sleeper = clock::advance;
    DynamoDbClient dynamo;
    SecretsManagerClient secrets;
    String table;
    Catalog catalog;

    @BeforeEach
    void setUp() {
        dynamo = Dynalite.shared().client();
        table = Fixtures.newTable(dynamo);
        catalog = CatalogFile.load(Fixtures.repo().resolve("examples/jobwatch.yml"));
        secrets = SecretsManagerClient.builder().endpointOverride(java.net.URI.create(wm.baseUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "x")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        wm.stubFor(WireMock.post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo("jobwatch/servicenow")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("{\"Name\":\"jobwatch/servicenow\",\"SecretString\":"
                                + "\"{\\\"user\\\":\\\"svc\\\",\\\"password\\\":\\\"pw\\\"}\"}")));
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE_API)).willReturn(okJson("{\"result\":[]}")));
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE_API)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"result\":{\"sys_id\":\"b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6\",\"number\":\"INC0020001\","
                        + "\"state\":\"1\"}}")));
    }

    @AfterEach
    void tearDown() {
        dynamo.close();
        secrets.close();
    }

    Env env(String tableName) {
        return Fixtures.env(tableName, Map.of(Env.SERVICENOW_INSTANCE, wm.baseUrl(),
                Env.SERVICENOW_SECRET_ID, "jobwatch/servicenow"));
    }

    PeriodicHandler handler(String slaTable) {
        return new PeriodicHandler(new SlaHandler(env(slaTable), catalog, dynamo, clock, log),
                new OutboxHandler(env(table), catalog, dynamo, secrets, clock, sleeper, log), log);
    }

    List<String> createdCorrelations() {
        return wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API))).stream()
                .map(r -> Fixtures.tree(r.getBodyAsString()).path("correlation_id").asText()).toList();
    }

    @Test
    void periodic_sendsTheSlaChecksIncidentsInTheSameRun_andNothingTwiceInTheNext() throws Exception {
        PeriodicHandler periodic = handler(table);

        JsonNode first = invoke(periodic, "{\"task\":\"periodic\"}");

        int actions = first.at("/sla/incidentActions").asInt();
        assertThat(first.at("/sla/raised").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(actions).isGreaterThanOrEqualTo(1);
        // The SLA's actions went into the outbox and out to ServiceNow before the function returned.
        assertThat(first.at("/outbox/sent").asInt()).isEqualTo(actions);
        assertThat(first.at("/outbox/pending").asInt()).isZero();
        assertThat(createdCorrelations()).contains(MISSING).hasSize(actions);
        assertThat(new DynamoIncidents(dynamo, table, clock, RunStore.DEFAULT_RETENTION).pending()).isEmpty();

        clock.advance(Duration.ofMinutes(5));
        JsonNode second = invoke(periodic, "{\"task\":\"periodic\"}");

        assertThat(second.at("/sla/raised").asInt()).isZero();
        assertThat(second.at("/outbox/sent").asInt()).isZero();
        assertThat(createdCorrelations()).hasSize(actions);
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")))).as("secret read once, at init").hasSize(1);
    }

    @Test
    void periodic_stillSendsWhatIngestCouldNotSend_whenTheSlaChecksFail_thenFailsTheInvocation() throws Exception {
        // The ingest function judged the failure while the incident system was unreachable: the action waits.
        IngestHandler ingest = new IngestHandler(env(table), catalog, dynamo, OutboxHandlerTest.unreachable(), clock,
                log);
        assertThat(Fixtures.failures(invoke(ingest, sqs(List.of(glue("e1", "nightly-orders-etl", "jr_1", "FAILED",
                clock.instant().minusSeconds(120))))))).isEmpty();
        clock.advance(Duration.ofMinutes(5));
        // The SLA half reads a table that does not exist: its queries fail.
        PeriodicHandler periodic = handler("no-such-table-" + System.nanoTime());

        assertThatThrownBy(() -> invoke(periodic, "{\"task\":\"periodic\"}"))
                .isInstanceOf(RuntimeException.class).hasMessageContaining("no-such-table");

        assertThat(createdCorrelations()).singleElement().satisfies(c -> assertThat(c).contains("nightly-orders-etl")
                .doesNotContain("MISSING"));
        assertThat(logBytes.toString(StandardCharsets.UTF_8))
                .contains("periodic: SLA checks failed, running the incident pass anyway");
    }
}
