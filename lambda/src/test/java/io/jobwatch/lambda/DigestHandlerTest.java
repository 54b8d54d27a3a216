package io.jobwatch.lambda;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.jobwatch.lambda.Fixtures.glue;
import static io.jobwatch.lambda.Fixtures.invoke;
import static io.jobwatch.lambda.Fixtures.sqs;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.notify.AwsSetup;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The digest handler jar-in-hand: runs in dynalite, SES v2 and SNS played by WireMock. */
class DigestHandlerTest {
    @RegisterExtension
    static WireMockExtension aws = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final String SES_PATH = "/v2/email/outbound-emails";
    static final String TOPIC = "arn:aws:sns:us-east-1:111122223333:jobwatch-digest";
    static final Instant SIX = Instant.parse("2026-03-06T06:00:00Z");

    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    final TestClock clock = new TestClock(SIX.plusSeconds(30));
    DynamoDbClient dynamo;
    String table;
    DigestHandler digest;

    @BeforeEach
    void setUp() throws IOException {
        dynamo = Dynalite.shared().client();
        table = Fixtures.newTable(dynamo);
        var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret-test-key"));
        AwsSetup channels = new AwsSetup(creds, Region.US_EAST_1, URI.create(aws.baseUrl()));
        aws.stubFor(WireMock.post(urlEqualTo(SES_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"MessageId\":\"0102-test\"}")));
        aws.stubFor(WireMock.post(urlEqualTo("/")).willReturn(aResponse().withStatus(200).withBody(
                "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult><MessageId>"
                        + "94f20ce6</MessageId></PublishResult><ResponseMetadata><RequestId>r1</RequestId>"
                        + "</ResponseMetadata></PublishResponse>")));
        Map<String, String> variables = Map.of(Env.SES_FROM, "jobwatch@example.com", Env.SNS_TOPIC_ARN, TOPIC);
        Env env = Fixtures.env(table, variables);
        digest = new DigestHandler(env, variables, Fixtures.catalog(), dynamo, channels, clock, d -> clock.advance(d), log);

        // Overnight: the orders ETL failed (team orders-ops, e-mail); a Step Functions job failed (team platform,
        // no recipients: the topic).
        IngestHandler ingest = new IngestHandler(new DynamoRunStore(dynamo, table, clock, RunStore.DEFAULT_RETENTION),
                log);
        Instant five = SIX.minus(Duration.ofHours(1));
        assertThat(Fixtures.failures(invoke(ingest, sqs(List.of(
                glue("e1", "nightly-orders-etl", "jr_1", "RUNNING", five),
                glue("e2", "nightly-orders-etl", "jr_1", "FAILED", five.plusSeconds(300)),
                Fixtures.example("events/step-functions/failed.json")))))).isEmpty();
    }

    @AfterEach
    void tearDown() {
        dynamo.close();
    }

    @Test
    void digest_emailsTheTeamWithRecipients_andPublishesForTheTeamWithout_onceForEachWindow() throws IOException {
        JsonNode response = invoke(digest, "{\"task\":\"digest\"}");

        assertThat(response.path("digests")).hasSize(2);
        List<LoggedRequest> emails = aws.findAll(postRequestedFor(urlEqualTo(SES_PATH)));
        assertThat(emails).singleElement().satisfies(r -> {
            JsonNode body = Fixtures.tree(r.getBodyAsString());
            assertThat(body.path("FromEmailAddress").asText()).isEqualTo("jobwatch@example.com");
            assertThat(body.path("Destination").path("ToAddresses")).extracting(JsonNode::asText)
                    .containsExactly("orders-ops@example.com", "orders-lead@example.com");
            JsonNode simple = body.path("Content").path("Simple");
            assertThat(simple.path("Subject").path("Data").asText()).contains("Orders", "1 failing");
            assertThat(simple.path("Body").path("Html").path("Data").asText()).contains("nightly-orders-etl")
                    .doesNotContain("OrderProcessingStateMachine");
        });
        List<LoggedRequest> published = aws.findAll(postRequestedFor(urlEqualTo("/")));
        assertThat(published).singleElement().satisfies(r -> {
            Map<String, String> form = form(r.getBodyAsString());
            assertThat(form).containsEntry("Action", "Publish").containsEntry("TopicArn", TOPIC);
            assertThat(form.get("Message")).contains("1 failing").doesNotContain("nightly-orders-etl");
        });

        // Ten minutes later the same windows are not due again.
        clock.advance(Duration.ofMinutes(10));
        JsonNode again = invoke(digest, "{\"task\":\"digest\"}");
        assertThat(again.path("digests")).isEmpty();
        assertThat(aws.findAll(postRequestedFor(urlEqualTo(SES_PATH)))).hasSize(1);
        assertThat(aws.findAll(postRequestedFor(urlEqualTo("/")))).hasSize(1);
    }

    @Test
    void digest_saysThePreviousOneFailed_afterSesRefusedIt() throws IOException {
        aws.stubFor(WireMock.post(urlEqualTo(SES_PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("x-amzn-ErrorType", "MessageRejected").withHeader("Content-Type", "application/json")
                .withBody("{\"message\":\"Email address is not verified\"}")));
        JsonNode first = invoke(digest, "{\"task\":\"digest\"}");
        assertThat(first.path("digests").findValuesAsText("outcome")).anyMatch(o -> o.startsWith("failed: "));

        aws.stubFor(WireMock.post(urlEqualTo(SES_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"MessageId\":\"0102-test\"}")));
        clock.set(SIX.plus(Duration.ofHours(8)).plusSeconds(30)); // 14:00, the team's next digest
        invoke(digest, "{\"task\":\"digest\"}");

        List<LoggedRequest> emails = aws.findAll(postRequestedFor(urlEqualTo(SES_PATH)));
        assertThat(emails).hasSize(2);
        String text = Fixtures.tree(emails.get(1).getBodyAsString()).path("Content").path("Simple").path("Body")
                .path("Text").path("Data").asText();
        assertThat(text).containsIgnoringCase("previous digest");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return out;
    }
}
