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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.jobwatch.core.incident.GatewayException;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.core.time.Sleeper;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
 * The outbox handler (the periodic function's retries) jar-in-hand: actions the ingest function could not send (the
 * incident system unreachable then) wait in dynalite's table; the ServiceNow Table API and Secrets Manager are played
 * by WireMock.
 */
class OutboxHandlerTest {
    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String TABLE_API = "/api/now/table/incident";
    static final String SYS_ID = "a3f5c2e14f8b4210b7d9e6c0a1b2c3d4";
    static final String PASSWORD = "s3cr3t-Pa55!w0rd";
    static final String JOB = "nightly-orders-etl";
    static final JobKey ORDERS = new JobKey("111122223333", "us-west-2", JobSource.GLUE_JOB, JOB);
    static final String CORRELATION = "glue-job:111122223333:us-west-2:nightly-orders-etl";
    static final Instant T0 = Instant.parse("2026-03-02T03:00:00Z");

    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    final TestClock clock = new TestClock(T0);
    final Sleeper sleeper = clock::advance; // waiting moves the test clock, never the wall clock
    DynamoDbClient dynamo;
    SecretsManagerClient secrets;
    String table;
    Env env;
    IngestHandler ingest;
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
        // The ingest function with the incident system unreachable: its decisions' actions wait in the outbox.
        ingest = new IngestHandler(env, Fixtures.catalog(), dynamo, unreachable(), clock, log);
        incidents = new DynamoIncidents(dynamo, table, clock, RunStore.DEFAULT_RETENTION);
        stubSecret("{\"user\":\"svc-jobwatch\",\"password\":\"" + PASSWORD + "\"}");
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE_API)).willReturn(okJson("{\"result\":[]}")));
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE_API))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"result\":{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0010001\",\"state\":\"1\"}}")));
        wm.stubFor(WireMock.patch(urlPathEqualTo(TABLE_API + "/" + SYS_ID))
                .willReturn(okJson("{\"result\":{\"sys_id\":\"" + SYS_ID + "\",\"number\":\"INC0010001\",\"state\":\"6\"}}")));
    }

    @AfterEach
    void tearDown() {
        dynamo.close();
        secrets.close();
    }

    static void stubSecret(String secretString) {
        String body = "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:111122223333:secret:jobwatch/servicenow-AbCdEf\","
                + "\"Name\":\"jobwatch/servicenow\",\"VersionId\":\"v1\",\"SecretString\":"
                + Fixtures.JSON.valueToTree(secretString) + ",\"VersionStages\":[\"AWSCURRENT\"]}";
        wm.stubFor(WireMock.post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo("jobwatch/servicenow")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(body)));
    }

    static IncidentGateway unreachable() {
        IncidentGateway down = (IncidentGateway) java.lang.reflect.Proxy.newProxyInstance(
                IncidentGateway.class.getClassLoader(), new Class<?>[] {IncidentGateway.class}, (proxy, m, args) -> {
                    throw GatewayException.unreachable("connection refused", null);
                });
        return down;
    }

    OutboxHandler handler() {
        return new OutboxHandler(env, Fixtures.catalog(), dynamo, secrets, clock, sleeper, log);
    }

    void ingestEvents(String... bodies) throws IOException {
        assertThat(Fixtures.failures(invoke(ingest, sqs(List.of(bodies))))).isEmpty();
    }

    @Test
    void outbox_sendsWhatIngestCouldNotSend_inOrder_thenNothingTwice() throws IOException {
        OutboxHandler outbox = handler();
        ingestEvents(glue("e1", JOB, "jr_1", "RUNNING", T0.minusSeconds(600)),
                glue("e2", JOB, "jr_1", "FAILED", T0.minusSeconds(60)));
        clock.advance(Duration.ofHours(1));
        ingestEvents(glue("e3", JOB, "jr_2", "SUCCEEDED", clock.instant().minusSeconds(5)));
        assertThat(incidents.pending()).extracting(e -> e.action().type()).containsExactly("open", "resolve");
        clock.advance(Duration.ofMinutes(5));

        JsonNode first = invoke(outbox, "{\"task\":\"outbox\"}");

        assertThat(first.path("sent").asInt()).isEqualTo(2);
        assertThat(first.path("pending").asInt()).isZero();
        assertThat(first.path("oldestPendingAgeSeconds").asLong()).isZero();
        List<LoggedRequest> created = wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)));
        assertThat(created).singleElement().satisfies(r -> {
            assertThat(r.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                    .encodeToString(("svc-jobwatch:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
            JsonNode body = Fixtures.tree(r.getBodyAsString());
            assertThat(body.path("correlation_id").asText()).isEqualTo(CORRELATION);
            assertThat(body.path("short_description").asText()).isEqualTo("[Orders] Glue job nightly-orders-etl FAILED");
            assertThat(body.path("assignment_group").asText()).isEqualTo("Orders Operations");
        });
        assertThat(wm.findAll(patchRequestedFor(urlPathEqualTo(TABLE_API + "/" + SYS_ID))))
                .singleElement().satisfies(r -> assertThat(Fixtures.tree(r.getBodyAsString()).path("state").asText())
                        .isEqualTo("6"));
        assertThat(incidents.load(ORDERS, ProblemKind.FAILURE)).map(s -> s.record().number()).contains("INC0010001");

        clock.advance(Duration.ofMinutes(5));
        JsonNode idle = invoke(outbox, "{\"task\":\"outbox\"}");
        assertThat(idle.path("sent").asInt()).isZero();
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).hasSize(1);
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")))).as("secret read once, at init").hasSize(1);

        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertThat(logged).doesNotContain(PASSWORD)
                .contains("{\"_aws\":{\"Timestamp\":", "\"Namespace\":\"Jobwatch\"",
                        "\"Metrics\":[{\"Name\":\"OutboxOldestAgeSeconds\",\"Unit\":\"Seconds\"}]",
                        "\"OutboxOldestAgeSeconds\":0}");
        // The open's first request was ingest's, the resolve's this pass's (it waited behind the open); the open's
        // retry is not a first request.
        assertThat(logged.lines().filter(l -> l.contains("\"AlertLatency\":"))).hasSize(2);
    }

    @Test
    void outbox_keepsTheActionAndReportsItsAge_whileServiceNowIsDown() throws IOException {
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE_API)).willReturn(aResponse().withStatus(503)));
        OutboxHandler outbox = handler();
        ingestEvents(glue("e1", JOB, "jr_1", "FAILED", T0.minusSeconds(60)));
        clock.advance(Duration.ofMinutes(5));
        invoke(outbox, "{\"task\":\"outbox\"}");
        clock.advance(Duration.ofMinutes(10));

        JsonNode later = invoke(outbox, "{\"task\":\"outbox\"}");

        assertThat(later.path("pending").asInt()).isEqualTo(1);
        assertThat(later.path("sent").asInt()).isZero();
        long age = later.path("oldestPendingAgeSeconds").asLong();
        assertThat(age).isGreaterThanOrEqualTo(600);
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("\"OutboxOldestAgeSeconds\":" + age + "}");
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).isEmpty();
        assertThat(wm.findAll(getRequestedFor(urlPathEqualTo(TABLE_API)))).isNotEmpty();

        // ServiceNow is back: the kept action goes out once.
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE_API)).willReturn(okJson("{\"result\":[]}")));
        clock.advance(Duration.ofMinutes(10));
        JsonNode back = invoke(outbox, "{\"task\":\"outbox\"}");
        assertThat(back.path("sent").asInt()).isEqualTo(1);
        assertThat(back.path("oldestPendingAgeSeconds").asLong()).isZero();
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).hasSize(1);
    }

    @Test
    void init_usesABearerToken_whenTheSecretHoldsOne() throws IOException {
        stubSecret("{\"token\":\"tok-" + PASSWORD + "\"}");
        OutboxHandler outbox = handler();
        ingestEvents(glue("e1", JOB, "jr_1", "FAILED", T0.minusSeconds(60)));
        clock.advance(Duration.ofMinutes(5));
        invoke(outbox, "{\"task\":\"outbox\"}");
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).singleElement()
                .satisfies(r -> assertThat(r.getHeader("Authorization")).isEqualTo("Bearer tok-" + PASSWORD));
    }

    @Test
    void init_failsLoudly_namingTheSecretsKeysButNotItsValues_whenTheSecretIsIncomplete() {
        stubSecret("{\"user\":\"svc-jobwatch\",\"pass\":\"" + PASSWORD + "\"}");
        assertThatThrownBy(this::handler).isInstanceOf(IllegalStateException.class)
                .hasMessage("secret jobwatch/servicenow must hold either \"token\" or \"user\" and \"password\""
                        + " (found keys: user, pass)")
                .message().doesNotContain(PASSWORD);
    }

    @Test
    void init_failsLoudly_whenNoSecretIsConfigured() {
        env = Fixtures.env(table, Map.of(Env.SERVICENOW_INSTANCE, wm.baseUrl()));
        assertThatThrownBy(this::handler).hasMessageStartingWith("SERVICENOW_SECRET_ID is not set: set it to the"
                + " Secrets Manager name or ARN of the ServiceNow credentials");
    }

    @Test
    void outbox_sendsEachActionToTheTeamsSlack_too_withTheWebhookFromTheChannelSecrets_neverLogged() throws IOException {
        String hook = wm.baseUrl() + "/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX";
        String secretJson = "{\"SLACK_ORDERS\":\"" + hook + "\"}";
        String body = "{\"ARN\":\"arn:aws:secretsmanager:us-east-1:111122223333:secret:jobwatch/channels-AbCdEf\","
                + "\"Name\":\"jobwatch/channels\",\"VersionId\":\"v1\",\"SecretString\":"
                + Fixtures.JSON.valueToTree(secretJson) + ",\"VersionStages\":[\"AWSCURRENT\"]}";
        wm.stubFor(WireMock.post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo("jobwatch/channels")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(body)));
        // Slack's incoming webhook: 200 "ok".
        wm.stubFor(WireMock.post(urlEqualTo("/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("ok")));
        // The fixture catalog, with a Slack channel for orders-ops (whose team the job is in).
        java.nio.file.Path file = java.nio.file.Files.createTempDirectory("jobwatch-catalog").resolve("jobwatch.yml");
        String text = java.nio.file.Files.readString(Fixtures.catalogFile());
        String withSlack = text.replace("    timezone: UTC\n  platform:", "    timezone: UTC\n    channels:\n"
                + "      - {type: slack, url: \"${SLACK_ORDERS}\"}\n  platform:");
        assertThat(withSlack).isNotEqualTo(text);
        java.nio.file.Files.writeString(file, withSlack);
        io.jobwatch.core.catalog.Catalog routed = CatalogFile.load(file);
        OutboxHandler outbox = new OutboxHandler(env, Map.of(ChannelSecrets.SECRET_ID, "jobwatch/channels"), routed,
                dynamo, secrets, clock, sleeper, log);
        // Ingest decides for both destinations and tries them at once: ServiceNow is unreachable and the webhook's
        // variable is not set where ingest looks, so both actions wait in the outbox for the periodic pass.
        ingest = new IngestHandler(env, routed, dynamo, unreachable(), AlertsNow.teamChannels(Map.of(), routed,
                secrets, clock), clock, log);
        ingestEvents(glue("e1", JOB, "jr_1", "RUNNING", T0.minusSeconds(600)),
                glue("e2", JOB, "jr_1", "FAILED", T0.minusSeconds(60)));
        clock.advance(Duration.ofMinutes(5));

        JsonNode first = invoke(outbox, "{\"task\":\"outbox\"}");

        assertThat(first.path("sent").asInt()).as(first.toString()).isEqualTo(2); // ServiceNow, then Slack
        List<LoggedRequest> slack = wm.findAll(postRequestedFor(urlEqualTo("/services/T0001/B0001/XXXXXXXXXXXXXXXXXXXXXXXX")));
        assertThat(slack).singleElement().satisfies(r -> {
            JsonNode msg = Fixtures.JSON.readTree(r.getBodyAsString());
            assertThat(msg.path("text").asText()).contains(JOB).contains("INC0010001");
            assertThat(msg.path("blocks").isArray()).isTrue();
        });
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).doesNotContain("XXXXXXXXXXXXXXXXXXXXXXXX");
    }
}
