package io.jobwatch.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.jobwatch.lambda.Fixtures.glue;
import static io.jobwatch.lambda.Fixtures.invoke;
import static io.jobwatch.lambda.Fixtures.sqs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * The ingest function judges a finished run as it stores it and sends the incident's requests in the same invocation
 * (wired as Lambda wires it: dynalite as the table, the ServiceNow Table API and Secrets Manager on WireMock). What
 * cannot be sent then stays in the outbox for the periodic function, and the invocation still succeeds.
 */
class IngestAlertsTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String TABLE_API = "/api/now/table/incident";
    static final String SYS_ID = "c0ffee00c0ffee00c0ffee00c0ffee00";
    static final String JOB = "nightly-orders-etl";
    static final JobKey ORDERS = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, JOB);
    static final String CORRELATION = "glue-job:111122223333:us-west-2:nightly-orders-etl";
    static final Instant T0 = Instant.parse("2026-03-02T03:00:00Z");

    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    final TestClock clock = new TestClock(T0);
    DynamoDbClient dynamo;
    SecretsManagerClient secrets;
    String table;
    Env env;
    DynamoIncidents incidents;

    @BeforeEach
    void setUp() {
        dynamo = Dynalite.shared().client();
        table = Fixtures.newTable(dynamo);
        env = Fixtures.env(table, Map.of(Env.SERVICENOW_INSTANCE, wm.baseUrl(),
                Env.SERVICENOW_SECRET_ID, "jobwatch/servicenow"));
        secrets = SecretsManagerClient.builder().endpointOverride(java.net.URI.create(wm.baseUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "x")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        incidents = new DynamoIncidents(dynamo, table, clock, RunStore.DEFAULT_RETENTION);
        String body = "{\"Name\":\"jobwatch/servicenow\",\"SecretString\":"
                + Fixtures.JSON.valueToTree("{\"user\":\"svc-jobwatch\",\"password\":\"pw-ingest\"}") + "}";
        wm.stubFor(WireMock.post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo("jobwatch/servicenow")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(body)));
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE_API)).willReturn(okJson("{\"result\":[]}")));
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE_API))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"result\":{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0030001\",\"state\":\"1\"}}")));
        wm.stubFor(WireMock.patch(urlPathEqualTo(TABLE_API + "/" + SYS_ID))
                .willReturn(okJson("{\"result\":{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0030001\",\"state\":\"6\"}}")));
    }

    @AfterEach
    void tearDown() {
        dynamo.close();
        secrets.close();
    }

    /** The handler as Lambda's constructor builds it (without the SnapStart priming). */
    IngestHandler handler() {
        return new IngestHandler(env, Fixtures.catalog(), dynamo, secrets, io.jobwatch.core.incident.IncidentChannels.NONE, clock, log,
                false);
    }

    long secretReads() {
        return wm.findAll(postRequestedFor(urlEqualTo("/"))
                .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))).size();
    }

    @Test
    void aFailedRun_reachesServiceNowInItsOwnInvocation_andItsRecoveryResolvesItInItsOwn() throws IOException {
        IngestHandler ingest = handler();
        invoke(ingest, glue("e1", JOB, "jr_1", "RUNNING", T0.minusSeconds(600)));
        assertThat(secretReads()).as("nothing to send yet: the secret is not read").isZero();

        clock.advance(Duration.ofMillis(40));
        JsonNode r = invoke(ingest, glue("e2", JOB, "jr_1", "FAILED", T0.minusSeconds(60)));

        assertThat(Fixtures.failures(r)).isEmpty();
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(TABLE_API)))).as("the adoption lookup").hasSize(1);
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).singleElement().satisfies(p -> {
            JsonNode body = Fixtures.tree(p.getBodyAsString());
            assertThat(body.path("correlation_id").asText()).isEqualTo(CORRELATION);
            assertThat(body.path("short_description").asText()).isEqualTo("[Orders] Glue job nightly-orders-etl FAILED");
            assertThat(body.path("assignment_group").asText()).isEqualTo("Orders Operations");
        });
        assertThat(incidents.pending()).isEmpty();
        assertThat(incidents.load(ORDERS, ProblemKind.FAILURE)).map(s -> s.record().number()).contains("INC0030001");
        assertThat(secretReads()).isEqualTo(1);
        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertThat(logged).contains("\"Metrics\":[{\"Name\":\"AlertLatency\",\"Unit\":\"Milliseconds\"}]",
                "\"AlertLatency\":0}", "ingest: 1 applied, 0 duplicate, 0 stale, 0 parked, 0 failed; 1 incident action"
                        + " decided").doesNotContain("pw-ingest");

        // The same event again (Lambda's retry, EventBridge's at-least-once): judged again, nothing sent twice.
        invoke(ingest, glue("e2", JOB, "jr_1", "FAILED", T0.minusSeconds(60)));
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).hasSize(1);

        clock.advance(Duration.ofHours(1));
        invoke(ingest, glue("e3", JOB, "jr_2", "SUCCEEDED", clock.instant().minusSeconds(5)));
        assertThat(wm.findAll(patchRequestedFor(urlPathEqualTo(TABLE_API + "/" + SYS_ID)))).singleElement()
                .satisfies(p -> assertThat(Fixtures.tree(p.getBodyAsString()).path("state").asText()).isEqualTo("6"));
        assertThat(secretReads()).as("read once per container").isEqualTo(1);
        assertThat(logBytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"AlertLatency\":")))
                .hasSize(2);
    }

    @Test
    void serviceNowDown_leavesTheActionForThePeriodicFunction_andTheEventIsStoredAndJudged() throws IOException {
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE_API)).willReturn(aResponse().withStatus(503)));
        IngestHandler ingest = handler();

        JsonNode r = invoke(ingest, sqs(List.of(glue("e1", JOB, "jr_1", "FAILED", T0.minusSeconds(60)))));

        assertThat(Fixtures.failures(r)).as("stored and judged: not a failed message").isEmpty();
        assertThat(incidents.pending()).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(OutboxEntry.Status.PENDING);
            assertThat(e.attempts()).isEqualTo(1);
            assertThat(e.lastError()).contains("503");
        });
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("ingest: incident actions sent 0, 1 left in"
                + " the outbox for the periodic function (1 failed attempt)");

        // ServiceNow is back: the periodic function's pass sends it once; its first request was ingest's.
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE_API)).willReturn(okJson("{\"result\":[]}")));
        clock.advance(Duration.ofMinutes(5));
        JsonNode pass = invoke(new OutboxHandler(env, Fixtures.catalog(), dynamo, secrets, clock, clock::advance, log),
                "{\"task\":\"outbox\"}");
        assertThat(pass.path("sent").asInt()).isEqualTo(1);
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).hasSize(1);
        assertThat(incidents.pending()).isEmpty();
        assertThat(logBytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"AlertLatency\":")))
                .as("one first request").hasSize(1);
    }

    @Test
    void aRunThatChangesNothing_sendsNothing_andReadsNoSecret() throws IOException {
        IngestHandler ingest = handler();
        invoke(ingest, glue("e1", JOB, "jr_1", "SUCCEEDED", T0.minusSeconds(60)));
        invoke(ingest, glue("e2", JOB, "jr_2", "SUCCEEDED", T0.minusSeconds(30)));
        assertThat(wm.getAllServeEvents()).isEmpty();
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).doesNotContain("AlertLatency");
    }

    static final String SLACK = "/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";

    /** The test catalog with a Slack channel for the orders team ({@code ${SLACK_ORDERS_WEBHOOK}}). */
    static io.jobwatch.core.catalog.Catalog catalogWithSlack() throws IOException {
        String yaml = java.nio.file.Files.readString(Fixtures.catalogFile()).replace(
                "    assignmentGroup: Orders Operations\n", "    assignmentGroup: Orders Operations\n    channels:\n"
                        + "      - {type: slack, url: \"${SLACK_ORDERS_WEBHOOK}\"}\n");
        assertThat(yaml).contains("type: slack");
        return ((io.jobwatch.core.catalog.CatalogResult.Loaded) io.jobwatch.core.catalog.CatalogLoader.load(
                "jobwatch-test.yml", yaml)).catalog();
    }

    IngestHandler handlerWithSlack() throws IOException {
        io.jobwatch.core.catalog.Catalog catalog = catalogWithSlack();
        return new IngestHandler(env, catalog, dynamo, secrets, AlertsNow.teamChannels(
                Map.of("SLACK_ORDERS_WEBHOOK", wm.baseUrl() + SLACK), catalog, secrets, clock), clock, log, false);
    }

    @Test
    void theTeamsChannel_hearsInTheSameInvocation_withTheIncidentNumber() throws IOException {
        wm.stubFor(WireMock.post(urlEqualTo(SLACK)).willReturn(aResponse().withStatus(200).withBody("ok")));
        IngestHandler ingest = handlerWithSlack();

        invoke(ingest, glue("e1", JOB, "jr_1", "FAILED", T0.minusSeconds(60)));

        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).hasSize(1);
        assertThat(wm.findAll(postRequestedFor(urlEqualTo(SLACK)))).singleElement().satisfies(p ->
                assertThat(Fixtures.tree(p.getBodyAsString()).path("text").asText())
                        .startsWith("Incident opened:").contains("nightly-orders-etl", "(INC0030001)"));
        assertThat(incidents.pending()).isEmpty();
        assertThat(logBytes.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"AlertLatency\":")))
                .as("a first request per destination").hasSize(2);

        // Lambda's retry of the same event: nothing goes out twice, to either destination.
        invoke(ingest, glue("e1", JOB, "jr_1", "FAILED", T0.minusSeconds(60)));
        assertThat(wm.findAll(postRequestedFor(urlEqualTo(SLACK)))).hasSize(1);
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).hasSize(1);
    }

    @Test
    void aChannelDown_holdsBackOnlyItsOwnMessage_whichThePeriodicFunctionSendsLater() throws IOException {
        wm.stubFor(WireMock.post(urlEqualTo(SLACK)).willReturn(aResponse().withStatus(500).withBody("oops")));
        IngestHandler ingest = handlerWithSlack();

        JsonNode r = invoke(ingest, sqs(List.of(glue("e1", JOB, "jr_1", "FAILED", T0.minusSeconds(60)))));

        assertThat(Fixtures.failures(r)).isEmpty();
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).as("ServiceNow not held back").hasSize(1);
        assertThat(incidents.pending()).singleElement().satisfies(e -> {
            assertThat(e.destination()).isEqualTo("orders-ops/slack");
            assertThat(e.attempts()).isEqualTo(1);
        });

        wm.stubFor(WireMock.post(urlEqualTo(SLACK)).willReturn(aResponse().withStatus(200).withBody("ok")));
        clock.advance(Duration.ofMinutes(5));
        io.jobwatch.core.catalog.Catalog catalog = catalogWithSlack();
        JsonNode pass = invoke(new OutboxHandler(env, catalog, dynamo, secrets, AlertsNow.teamChannels(
                Map.of("SLACK_ORDERS_WEBHOOK", wm.baseUrl() + SLACK), catalog, secrets, clock), clock, clock::advance, log),
                "{\"task\":\"outbox\"}");
        assertThat(pass.path("sent").asInt()).isEqualTo(1);
        assertThat(wm.findAll(postRequestedFor(urlEqualTo(SLACK)))).hasSize(2);
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).as("nothing sent twice").hasSize(1);
        assertThat(incidents.pending()).isEmpty();
    }
}
