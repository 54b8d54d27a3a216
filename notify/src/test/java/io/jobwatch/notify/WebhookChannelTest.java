package io.jobwatch.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.IncidentNotice;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A webhook receiver played by WireMock that does what the docs tell a receiver to do: recompute the HMAC-SHA256 of
 * the raw body with the shared secret and compare it with X-Jobwatch-Signature — 202 when it matches, 401 otherwise.
 * Every body is checked against the published schema (docs/schemas/webhook-incident-v1.schema.json).
 */
class WebhookChannelTest {
    @RegisterExtension
    static final WireMockExtension receiver = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String SECRET = "whsec-7f3a9c2e1b8d4f60a5e7c9b1d3f5a7c9";
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SCHEMA = Path.of("..", "docs", "schemas", "webhook-incident-v1.schema.json");

    @BeforeEach
    void receiverChecksTheSignature() {
        receiver.stubFor(post(urlEqualTo("/jobwatch")).atPriority(1)
                .andMatching(r -> MatchResult.of(WebhookChannel.verify(SECRET.getBytes(StandardCharsets.UTF_8),
                        r.getBody(), r.getHeader(WebhookChannel.SIGNATURE_HEADER))))
                .willReturn(aResponse().withStatus(202)));
        receiver.stubFor(post(urlEqualTo("/jobwatch")).atPriority(10)
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"bad signature\"}")));
    }

    WebhookChannel channel(String secret) {
        Map<String, String> vars = Map.of("ERP_HOOK_SECRET", secret);
        return new WebhookChannel(ChannelTestSupport.settings("webhook", Map.of("url", receiver.baseUrl() + "/jobwatch",
                "secret", "${ERP_HOOK_SECRET}"), vars), ChannelTestSupport.context(vars), null);
    }

    static Schema schema() throws Exception {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(Map.of("https://jobwatch.io/schemas/webhook-incident-v1.schema.json",
                        readSchema())).schemaRegistryConfig(config));
        return registry.getSchema(SchemaLocation.of("https://jobwatch.io/schemas/webhook-incident-v1.schema.json"));
    }

    static String readSchema() {
        try {
            return Files.readString(SCHEMA);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyActionIsSigned_theReceiverVerifiesIt_andTheBodyFollowsTheSchema() throws Exception {
        WebhookChannel c = channel(SECRET);
        List<IncidentNotice> notices = List.of(ChannelTestSupport.open(null), ChannelTestSupport.update("INC0010423"),
                ChannelTestSupport.resolve("INC0010423"));
        for (IncidentNotice n : notices) {
            c.send(n); // a 401 would throw
        }
        Schema schema = schema();
        List<LoggedRequest> got = receiver.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(
                urlEqualTo("/jobwatch")));
        assertThat(got).hasSize(3);
        for (LoggedRequest r : got) {
            JsonNode body = JSON.readTree(r.getBodyAsString());
            assertThat(schema.validate(body)).as(body.toString()).isEmpty();
            assertThat(r.getHeader(WebhookChannel.SIGNATURE_HEADER)).matches("sha256=[0-9a-f]{64}");
            assertThat(r.getHeader(WebhookChannel.DELIVERY_HEADER)).isEqualTo(body.path("id").asText());
            assertThat(r.getHeader(WebhookChannel.EVENT_HEADER)).isEqualTo(body.path("event").asText());
        }
        JsonNode open = JSON.readTree(got.get(0).getBodyAsString());
        assertThat(open.path("schema").asText()).isEqualTo("jobwatch.incident.v1");
        assertThat(open.path("event").asText()).isEqualTo("incident.opened");
        assertThat(open.path("incident").path("correlationId").asText())
                .isEqualTo("glue-job:123456789012:eu-west-1:erp-orders-load");
        assertThat(open.path("incident").path("number").isNull()).isTrue();
        assertThat(open.path("job").path("system").asText()).isEqualTo("ERP");
        assertThat(open.path("job").path("criticality").asText()).isEqualTo("critical");
        assertThat(open.path("run").path("state").asText()).isEqualTo("FAILED");
        assertThat(open.path("run").path("error").asText()).startsWith("An error occurred");
        JsonNode resolved = JSON.readTree(got.get(2).getBodyAsString());
        assertThat(resolved.path("event").asText()).isEqualTo("incident.resolved");
        assertThat(resolved.path("incident").path("state").asText()).isEqualTo("resolved");
        assertThat(resolved.path("incident").path("number").asText()).isEqualTo("INC0010423");
    }

    @Test
    void theDeliveryId_isTheSameForEveryRetryOfOneAction_andDiffersBetweenActions() throws Exception {
        WebhookChannel c = channel(SECRET);
        c.send(ChannelTestSupport.open(null));
        c.send(ChannelTestSupport.open(null));
        c.send(ChannelTestSupport.update(null));
        List<String> ids = receiver.getAllServeEvents().stream()
                .map(e -> e.getRequest().getHeader(WebhookChannel.DELIVERY_HEADER)).toList();
        assertThat(ids.get(2)).as("the two sends of the open (newest first)").isEqualTo(ids.get(1));
        assertThat(ids.get(0)).isNotEqualTo(ids.get(1));
    }

    @Test
    void aWrongSecret_isRefusedByTheReceiver_forGood_andTheSecretIsNeverShown() {
        String wrong = "whsec-0000000000000000-wrong-secret";
        try (ChannelTestSupport.LogCapture log = new ChannelTestSupport.LogCapture()) {
            assertThatThrownBy(() -> channel(wrong).send(ChannelTestSupport.open(null)))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.status()).isEqualTo(401);
                        assertThat(e.getMessage()).isEqualTo("webhook: HTTP 401: {\"error\":\"bad signature\"} (http://"
                                + "localhost:" + receiver.getPort() + "/jobwatch (${ERP_HOOK_SECRET}))")
                                .doesNotContain(wrong);
                    });
            assertThat(log.all()).doesNotContain(wrong);
        }
        assertThat(channel(SECRET).target()).isEqualTo("http://localhost:" + receiver.getPort()
                + "/jobwatch (${ERP_HOOK_SECRET})");
    }

    @Test
    void theSignature_isTheHexHmacSha256OfTheRawBody() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        assertThat(WebhookChannel.signature("Jefe".getBytes(StandardCharsets.UTF_8),
                "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(WebhookChannel.verify("Jefe".getBytes(StandardCharsets.UTF_8),
                "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8),
                "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")).isTrue();
        assertThat(WebhookChannel.verify("Jefe".getBytes(StandardCharsets.UTF_8), "tampered".getBytes(
                StandardCharsets.UTF_8), "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"))
                .isFalse();
    }
}
