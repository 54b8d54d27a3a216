package io.jobwatch.notify;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.DigestFixtures;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Microsoft Teams played by WireMock: a Workflows webhook answering 202 (empty), a legacy incoming webhook answering
 * 200 "1", and the legacy errors that come back as 200 with a text.
 */
class TeamsChannelTest {
    @RegisterExtension
    static final WireMockExtension teams = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String PATH = "/workflows/8d3f0a1c/triggers/manual/paths/invoke";
    static final String SIG = "sig=Zk9tS2VjcmV0U2lnbmF0dXJlVmFsdWU";
    static final ObjectMapper JSON = new ObjectMapper();

    Map<String, String> vars() {
        return Map.of("TEAMS_ERP_WEBHOOK", teams.baseUrl() + PATH + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual"
                + "%2Frun&sv=1.0&" + SIG);
    }

    TeamsChannel channel() {
        return new TeamsChannel(ChannelTestSupport.settings("teams", Map.of("url", "${TEAMS_ERP_WEBHOOK}"), vars()),
                ChannelTestSupport.context(vars()), null);
    }

    static void answer(int status, String body) {
        teams.stubFor(post(urlPathEqualTo(PATH)).willReturn(aResponse().withStatus(status).withBody(body)));
    }

    JsonNode sent() throws Exception {
        return JSON.readTree(teams.getAllServeEvents().get(0).getRequest().getBodyAsString());
    }

    @Test
    void anOpenIsAnAdaptiveCardMessage_withTheSameContent() throws Exception {
        answer(202, "");
        channel().send(ChannelTestSupport.open("INC0010423"));
        JsonNode m = sent();
        assertThat(m.path("type").asText()).isEqualTo("message");
        JsonNode a = m.path("attachments").get(0);
        assertThat(a.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(a.path("contentUrl").isNull()).isTrue();
        JsonNode card = a.path("content");
        assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.path("$schema").asText()).isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
        assertThat(card.path("version").asText()).isEqualTo("1.2");
        JsonNode body = card.path("body");
        assertThat(body.get(0).path("text").asText())
                .isEqualTo("Incident opened: [ERP] Glue job erp-orders-load FAILED (INC0010423)");
        assertThat(body.get(0).path("color").asText()).isEqualTo("Attention");
        JsonNode facts = body.get(2).path("facts");
        assertThat(body.get(2).path("type").asText()).isEqualTo("FactSet");
        assertThat(facts.findValuesAsText("title")).containsExactly("Job", "System", "State", "Run", "Incident",
                "Criticality", "Account");
        assertThat(facts.findValuesAsText("value")).contains("Glue job erp-orders-load", "ERP", "FAILED", "INC0010423");
        assertThat(body.get(3).path("text").asText()).startsWith("An error occurred");
        assertThat(body.get(3).path("fontType").asText()).isEqualTo("Monospace");
        JsonNode action = card.path("actions").get(0);
        assertThat(action.path("type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(action.path("url").asText()).startsWith("https://eu-west-1.console.aws.amazon.com/");
    }

    @Test
    void aResolve_saysSo_inGreen() throws Exception {
        answer(202, "");
        channel().send(ChannelTestSupport.resolve(null));
        JsonNode first = sent().path("attachments").get(0).path("content").path("body").get(0);
        assertThat(first.path("text").asText()).isEqualTo("Resolved: [ERP] Glue job erp-orders-load is back to normal");
        assertThat(first.path("color").asText()).isEqualTo("Good");
    }

    @Test
    void aLegacyWebhooks200One_isSuccess_andItsErrorsIn200Texts_areClassified() {
        answer(200, "1");
        try {
            channel().send(ChannelTestSupport.open(null));
        } catch (DeliveryException e) {
            throw new AssertionError(e);
        }
        answer(200, "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with"
                + " ContextId tcid=0,server=msgapi-production-eus-azsc2-4-170,cv=deadbeef");
        assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).as("a throttle inside a 200").isTrue();
                    assertThat(e.status()).isEqualTo(200);
                });
        answer(200, "Summary or Text is required.");
        assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isFalse());
        answer(400, "Bad payload received by generic incoming webhook.");
        assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).doesNotContain(SIG).doesNotContain("Zk9tS2Vj");
                });
        answer(429, "");
        assertThatThrownBy(() -> channel().send(ChannelTestSupport.open(null)))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void theDigest_isAShortCard() throws Exception {
        answer(202, "");
        Digest d = DigestFixtures.digest();
        channel().send(new DigestNotice(d, List.of(), Optional.empty()));
        JsonNode body = sent().path("attachments").get(0).path("content").path("body");
        assertThat(body.get(0).path("text").asText()).isEqualTo(d.subject());
        assertThat(body.toString()).contains("Runs: ");
    }

    @Test
    void theTarget_showsTheHostAndTheReference_neverTheSignature() {
        assertThat(channel().target()).isEqualTo("localhost (${TEAMS_ERP_WEBHOOK})");
    }
}
