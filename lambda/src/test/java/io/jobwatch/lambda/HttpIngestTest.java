package io.jobwatch.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.detail.RunDetail;
import io.jobwatch.core.lineage.LineageSchema;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.LineageSamples;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.store.dynamodb.DynamoRunDetails;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
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
 * The ingest function behind the stack's HTTP API: Healthchecks' pings and OpenLineage events as API Gateway delivers
 * them (payload format 2.0, examples/http/apigw-http-v2.json), against dynalite, the keys read from Secrets Manager
 * played by WireMock.
 */
class HttpIngestTest {
    static final Instant NOW = Instant.parse("2026-03-02T02:05:00Z");
    static final String FINANCE_KEY = "fin_Pk7vQ2xLr9ZsT4mW";
    static final String API_KEY = "api-key-0123456789abcdef";
    static final String RID = "5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Catalog CATALOG = ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", """
            teams:
              finance: {pingKey: "${JOBWATCH_PING_KEY_FINANCE}"}
            """)).catalog();

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    final TestClock clock = new TestClock(NOW);
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    DynamoDbClient dynamo;
    SecretsManagerClient secrets;
    String table;
    RunStore store;
    DynamoRunDetails details;
    IngestHandler handler;

    @BeforeEach
    void setUp() {
        dynamo = Dynalite.shared().client();
        table = Fixtures.newTable(dynamo);
        store = new DynamoRunStore(dynamo, table, clock, RunStore.DEFAULT_RETENTION);
        details = new DynamoRunDetails(dynamo, table);
        secrets = SecretsManagerClient.builder().endpointOverride(java.net.URI.create(wm.baseUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "x")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        secret("{\"JOBWATCH_API_KEY\":\"" + API_KEY + "\",\"JOBWATCH_PING_KEY_FINANCE\":\"" + FINANCE_KEY + "\"}");
        handler = handler(() -> CATALOG);
    }

    @AfterEach
    void tearDown() {
        dynamo.close();
        secrets.close();
    }

    void secret(String value) {
        wm.stubFor(WireMock.post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue"))
                .withRequestBody(matchingJsonPath("$.SecretId", equalTo("jobwatch/http-keys")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody(JSON.createObjectNode().put("Name", "jobwatch/http-keys").put("SecretString", value)
                                .toString())));
    }

    IngestHandler handler(Supplier<Catalog> catalog) {
        HttpKeys keys = new HttpKeys(Map.of(HttpKeys.SECRET_ID, "jobwatch/http-keys"),
                () -> secrets.getSecretValue(b -> b.secretId("jobwatch/http-keys")).secretString(), clock, log);
        return new IngestHandler(store, log, clock, (s, pipeline) -> new HttpIngest(s, pipeline, details, keys, catalog,
                new LineageSchema(), clock, RunStore.DEFAULT_RETENTION, log));
    }

    /** The documented payload-format-2.0 example, set to this request. */
    static ObjectNode request(String method, String path, String query, String body, String... headers) {
        ObjectNode e = (ObjectNode) Fixtures.tree(Fixtures.read(Fixtures.repo().resolve("examples/http/apigw-http-v2.json")));
        e.put("rawPath", path);
        e.put("rawQueryString", query);
        ObjectNode h = e.putObject("headers");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i].toLowerCase(), headers[i + 1]);
        }
        ((ObjectNode) e.get("requestContext").get("http")).put("method", method).put("path", path);
        e.put("body", body);
        e.put("isBase64Encoded", false);
        return e;
    }

    JsonNode call(JsonNode request) throws Exception {
        return Fixtures.invoke(handler, request.toString());
    }

    static JobKey ping(String slug) {
        return new JobKey("finance", "", JobSource.PING, slug);
    }

    @Test
    void healthchecksPings_startThenExitStatus_withRid_areOneRun_answeredOK() throws Exception {
        JsonNode start = call(request("GET", "/ping/" + FINANCE_KEY + "/nightly-backup/start", "rid=" + RID, ""));
        assertThat(start.path("statusCode").asInt()).isEqualTo(200);
        assertThat(start.path("body").asText()).isEqualTo("OK");
        assertThat(start.path("headers").path("Ping-Body-Limit").asText()).isEqualTo("10000");
        call(request("GET", "/ping/" + FINANCE_KEY + "/other-job", "", ""));
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")))).as("the secret is read once, then cached").hasSize(1);
        clock.advance(Duration.ofMinutes(7));
        JsonNode end = call(request("POST", "/ping/" + FINANCE_KEY + "/nightly-backup/1", "rid=" + RID,
                "tar: /data: Cannot open: Permission denied"));
        assertThat(end.path("statusCode").asInt()).isEqualTo(200);
        Run run = store.runsOfJob(ping("nightly-backup"), 10).get(0);
        assertThat(run.runId()).isEqualTo("nightly-backup@rid-" + RID);
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.error()).isEqualTo("exit status 1\ntar: /data: Cannot open: Permission denied");
        assertThat(run.duration()).hasValue(Duration.ofMinutes(7));
        assertThat(details.of(run.key(), clock.instant())).extracting(RunDetail::text)
                .containsExactly("tar: /data: Cannot open: Permission denied");
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).doesNotContain(FINANCE_KEY);
        assertThat(wm.findAll(postRequestedFor(urlEqualTo("/")))).as("read again after its 5 minutes").hasSize(2);
    }

    @Test
    void base64Body_asApiGatewaySendsBinary_isDecoded() throws Exception {
        ObjectNode r = request("POST", "/ping/" + FINANCE_KEY + "/sftp-pull/fail", "",
                Base64.getEncoder().encodeToString("connection reset".getBytes(StandardCharsets.UTF_8)));
        r.put("isBase64Encoded", true);
        assertThat(call(r).path("statusCode").asInt()).isEqualTo(200);
        assertThat(store.runsOfJob(ping("sftp-pull"), 10).get(0).error()).isEqualTo("connection reset");
    }

    @Test
    void wrongPingKey_is404_andNothingIsStored() throws Exception {
        JsonNode r = call(request("GET", "/ping/" + FINANCE_KEY + "x/nightly-backup", "", ""));
        assertThat(r.path("statusCode").asInt()).isEqualTo(404);
        assertThat(r.path("body").asText()).isEqualTo("not found");
        assertThat(store.runsOfJob(ping("nightly-backup"), 10)).isEmpty();
        assertThat(store.parked(10)).isEmpty();
    }

    @Test
    void openLineage_specStartAndDbtFail_withBearerKey_areStored_withTheParentKept() throws Exception {
        String root = "0191d6c8-6b3e-7a6f-8c2d-1a2b3c4d5e6f";
        String model = "0191d6c8-6b3f-7b70-9d3e-2b3c4d5e6f70";
        ArrayNode batch = JSON.createArrayNode();
        batch.add(LineageSamples.read("runevent-start.spec.json"));
        batch.add(LineageSamples.completed(LineageSamples.read("runevent-fail-errorMessage.dbt.json"), model, root));
        JsonNode r = call(request("POST", "/api/v1/lineage", "", batch.toString(), "Content-Type", "application/json",
                "Authorization", "Bearer " + API_KEY));
        assertThat(r.path("statusCode").asInt()).as(r.toString()).isEqualTo(200);
        assertThat(JSON.readTree(r.path("body").asText()).path("status").asText()).isEqualTo("success");
        JobKey dbt = new JobKey("", "", JobSource.OPENLINEAGE, "dbt-test-namespace/model.jaffle_shop.orders.sql.2");
        assertThat(store.runsOfJob(dbt, 10)).singleElement().satisfies(run -> {
            assertThat(run.state()).isEqualTo(RunState.FAILED);
            assertThat(run.error()).startsWith("Database Error in model orders");
        });
        assertThat(details.of(new RunKey(dbt, model), clock.instant())).singleElement()
                .satisfies(d -> assertThat(d.kind()).isEqualTo(RunDetail.Kind.PARENT));
    }

    @Test
    void openLineage_withoutTheKey_is401_andSchemaViolations_are400_withTheField() throws Exception {
        String start = LineageSamples.read("runevent-start.spec.json").toString();
        assertThat(call(request("POST", "/api/v1/lineage", "", start)).path("statusCode").asInt()).isEqualTo(401);
        JsonNode bad = call(request("POST", "/api/v1/lineage", "",
                LineageSamples.read("runevent-start.docs-examples.json").toString(), "x-api-key", API_KEY));
        assertThat(bad.path("statusCode").asInt()).isEqualTo(400);
        assertThat(bad.path("body").asText()).contains("schemaURL: missing");
        assertThat(store.openRuns()).isEmpty();
    }

    @Test
    void keysSecretUnreadable_beforeAnyRead_is503_soClientsRetry() throws Exception {
        wm.resetAll();
        wm.stubFor(WireMock.post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"ResourceNotFoundException\",\"Message\":\"Secrets Manager can't find the specified"
                        + " secret.\"}")));
        JsonNode r = call(request("GET", "/ping/" + FINANCE_KEY + "/nightly-backup", "", ""));
        assertThat(r.path("statusCode").asInt()).isEqualTo(503);
        assertThat(store.runsOfJob(ping("nightly-backup"), 10)).isEmpty();
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("cannot read the keys secret jobwatch/http-keys");
    }

    @Test
    void noCatalogPackaged_takesNoPings_butLineageStillWorks() throws Exception {
        handler = handler(() -> {
            throw new IllegalStateException("cannot read the catalog /var/task/jobwatch.yml");
        });
        assertThat(call(request("GET", "/ping/" + FINANCE_KEY + "/x", "", "")).path("statusCode").asInt()).isEqualTo(404);
        assertThat(logBytes.toString(StandardCharsets.UTF_8)).contains("no catalog, so no team takes pings");
        assertThat(call(request("POST", "/api/v1/lineage", "", LineageSamples.read("runevent-start.spec.json").toString(),
                "Authorization", "Bearer " + API_KEY)).path("statusCode").asInt()).isEqualTo(200);
    }
}
