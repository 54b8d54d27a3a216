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
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.core.time.Sleeper;
import io.jobwatch.store.dynamodb.DynamoCheckpoints;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.DynamoRunStore;
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
 * The outbox handler jar-in-hand: runs ingested by the ingest handler into dynalite, the ServiceNow Table API and
 * Secrets Manager played by WireMock.
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
        ingest = new IngestHandler(new DynamoRunStore(dynamo, table, clock, RunStore.DEFAULT_RETENTION), log);
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

    OutboxHandler handler() {
        return new OutboxHandler(env, Fixtures.catalog(), dynamo, secrets, clock, sleeper, log);
    }

    void ingestEvents(String... bodies) throws IOException {
        assertThat(Fixtures.failures(invoke(ingest, sqs(List.of(bodies))))).isEmpty();
    }

    @Test
    void outbox_opensAnIncidentForAFailedRun_thenResolvesItAfterASuccess_sendingEachActionOnce() throws IOException {
        OutboxHandler outbox = handler();
        ingestEvents(glue("e1", JOB, "jr_1", "RUNNING", T0.minusSeconds(600)),
                glue("e2", JOB, "jr_1", "FAILED", T0.minusSeconds(60)));
        clock.advance(Duration.ofMinutes(5));

        JsonNode first = invoke(outbox, "{\"task\":\"outbox\"}");

        assertThat(first.path("judged").asInt()).isEqualTo(1);
        assertThat(first.path("actions").asInt()).isEqualTo(1);
        assertThat(first.path("sent").asInt()).isEqualTo(1);
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
        assertThat(incidents.load(ORDERS, ProblemKind.FAILURE)).map(s -> s.record().number()).contains("INC0010001");

        // Nothing new: a second pass sends nothing.
        clock.advance(Duration.ofMinutes(5));
        JsonNode idle = invoke(outbox, "{\"task\":\"outbox\"}");
        assertThat(idle.path("judged").asInt()).isZero();

        ingestEvents(glue("e3", JOB, "jr_2", "SUCCEEDED", clock.instant().minusSeconds(5)));
        clock.advance(Duration.ofMinutes(5));
        JsonNode resolved = invoke(outbox, "{\"task\":\"outbox\"}");
        assertThat(resolved.path("actions").asInt()).isEqualTo(1);
        assertThat(wm.findAll(patchRequestedFor(urlPathEqualTo(TABLE_API + "/" + SYS_ID))))
                .singleElement().satisfies(r -> assertThat(Fixtures.tree(r.getBodyAsString()).path("state").asText())
                        .isEqualTo("6"));

        // Judging the same runs again (checkpoint moved back, or two overlapping runs) sends nothing twice.
        new DynamoCheckpoints(dynamo, table).put(DynamoCheckpoints.INCIDENTS, DynamoCheckpoints.CHECKPOINT,
                T0.minus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(5));
        JsonNode replay = invoke(outbox, "{\"task\":\"outbox\"}");
        assertThat(replay.path("judged").asInt()).isEqualTo(2);
        assertThat(replay.path("actions").asInt()).isZero();
        assertThat(wm.findAll(postRequestedFor(urlPathEqualTo(TABLE_API)))).hasSize(1);
        assertThat(wm.findAll(patchRequestedFor(urlPathEqualTo(TABLE_API + "/" + SYS_ID)))).hasSize(1);
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")))).as("secret read once, at init").hasSize(1);

        String logged = logBytes.toString(StandardCharsets.UTF_8);
        assertThat(logged).doesNotContain(PASSWORD)
                .contains("{\"_aws\":{\"Timestamp\":", "\"Namespace\":\"Jobwatch\"",
                        "\"Metrics\":[{\"Name\":\"OutboxOldestAgeSeconds\",\"Unit\":\"Seconds\"}]",
                        "\"OutboxOldestAgeSeconds\":0}");
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
}
