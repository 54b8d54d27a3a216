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
import io.jobwatch.core.catalog.Criticality;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.digest.DigestFixtures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PagerDuty's Events API v2 played by WireMock with its documented answers: 202 {"status":"success",…}, 400 "invalid
 * event" with its errors, 429 (no Retry-After), 500.
 */
class PagerDutyChannelTest {
    @RegisterExtension
    static final WireMockExtension pd = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String KEY = "R0UTINGKEY0123456789abcdefABCDEF";
    static final ObjectMapper JSON = new ObjectMapper();

    Map<String, String> vars() {
        return Map.of("PD_ERP_KEY", KEY, "PD_URL", pd.baseUrl() + "/v2/enqueue");
    }

    PagerDutyChannel channel() {
        return new PagerDutyChannel(ChannelTestSupport.settings("pagerduty", Map.of("routingKey", "${PD_ERP_KEY}",
                "url", "${PD_URL}"), vars()), ChannelTestSupport.context(vars()), null);
    }

    static void answer(int status, String body) {
        pd.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    JsonNode sent(int i) throws Exception {
        List<com.github.tomakehurst.wiremock.stubbing.ServeEvent> all = pd.getAllServeEvents(); // newest first
        return JSON.readTree(all.get(all.size() - 1 - i).getRequest().getBodyAsString());
    }

    @Test
    void anOpen_triggersWithTheCorrelationIdAsDedupKey_severityFromCriticality_andTheRunInCustomDetails()
            throws Exception {
        answer(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":"
                + "\"glue-job:123456789012:eu-west-1:erp-orders-load\"}");
        channel().send(ChannelTestSupport.open("INC0010423"));
        JsonNode e = sent(0);
        assertThat(e.path("routing_key").asText()).isEqualTo(KEY);
        assertThat(e.path("event_action").asText()).isEqualTo("trigger");
        assertThat(e.path("dedup_key").asText()).isEqualTo("glue-job:123456789012:eu-west-1:erp-orders-load");
        JsonNode p = e.path("payload");
        assertThat(p.path("summary").asText())
                .isEqualTo("Incident opened: [ERP] Glue job erp-orders-load FAILED (INC0010423)");
        assertThat(p.path("severity").asText()).isEqualTo("critical");
        assertThat(p.path("source").asText()).isEqualTo("glue-job:123456789012:eu-west-1:erp-orders-load");
        assertThat(p.path("timestamp").asText()).isEqualTo("2026-03-02T03:12:40Z");
        assertThat(p.path("component").asText()).isEqualTo("erp-orders-load");
        assertThat(p.path("group").asText()).isEqualTo("ERP");
        assertThat(p.path("class").asText()).isEqualTo("FAILURE");
        JsonNode d = p.path("custom_details");
        assertThat(d.path("run").asText()).isEqualTo("jr_4f1c");
        assertThat(d.path("state").asText()).isEqualTo("FAILED");
        assertThat(d.path("error").asText()).startsWith("An error occurred while calling");
        assertThat(d.path("incident").asText()).isEqualTo("INC0010423");
        assertThat(d.path("team").asText()).isEqualTo("erp-ops");
        assertThat(e.path("links").get(0).path("href").asText()).startsWith("https://eu-west-1.console.aws.amazon.com/");
    }

    @Test
    void aResolve_resolvesTheSameDedupKey_andUpdatesTriggerAgain() throws Exception {
        answer(202, "{\"status\":\"success\",\"message\":\"Event processed\"}");
        channel().send(ChannelTestSupport.update("INC0010423"));
        channel().send(ChannelTestSupport.resolve("INC0010423"));
        assertThat(sent(0).path("event_action").asText()).isEqualTo("trigger");
        assertThat(sent(0).path("payload").path("custom_details").path("state").asText()).isEqualTo("TIMED OUT");
        JsonNode r = sent(1);
        assertThat(r.path("event_action").asText()).isEqualTo("resolve");
        assertThat(r.path("dedup_key").asText()).isEqualTo(sent(0).path("dedup_key").asText());
        assertThat(r.has("payload")).isFalse();
    }

    @Test
    void severity_followsTheCriticality() {
        assertThat(PagerDutyChannel.severity(Criticality.CRITICAL)).isEqualTo("critical");
        assertThat(PagerDutyChannel.severity(Criticality.HIGH)).isEqualTo("error");
        assertThat(PagerDutyChannel.severity(Criticality.NORMAL)).isEqualTo("warning");
        assertThat(PagerDutyChannel.severity(Criticality.LOW)).isEqualTo("info");
    }

    @Test
    void a400_isRefusedForGood_withPagerDutysErrors_andNeverTheKey() {
        answer(400, "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"Length of"
                + " 'routing_key' is incorrect (should be 32 characters)\"]}");
        try (ChannelTestSupport.LogCapture log = new ChannelTestSupport.LogCapture()) {
            assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                    .isInstanceOfSatisfying(DeliveryException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.getMessage()).isEqualTo("pagerduty: HTTP 400: Event object is invalid: Length of"
                                + " 'routing_key' is incorrect (should be 32 characters) (localhost (${PD_ERP_KEY},"
                                + " ${PD_URL}))");
                        assertThat(e.responseBody()).contains("invalid event");
                    });
            assertThat(log.all()).contains("HTTP 400").doesNotContain(KEY);
        }
    }

    @Test
    void a429_isPassing_andWaitsThirtySecondsWhenItNamesNoRetryAfter() {
        answer(429, "{\"status\":\"throttle exceeded\",\"message\":\"Requests for this service are arriving too"
                + " quickly.  Please retry later.\",\"errors\":[\"Enhance Your Calm\"]}");
        assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
                });
        answer(503, "");
        assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void digests_doNotGoToPagerDuty() throws Exception {
        channel().send(new DigestNotice(DigestFixtures.digest(), List.of(), Optional.empty()));
        assertThat(pd.getAllServeEvents()).isEmpty();
        assertThat(PagerDutyChannel.FACTORY.takesDigests()).isFalse();
        assertThat(PagerDutyChannel.FACTORY.takesIncidents()).isTrue();
    }
}
