package io.jobwatch.infra;

import static io.jobwatch.infra.Synthesized.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The stack with {@code ingestMode=queue}: rule → SQS → event source mapping on the SnapStart alias. */
class IngestQueueModeTest {

    private static final JsonNode TEMPLATE = Synthesized.QueueMode.CENTRAL_JSON;

    private static CentralStack central() {
        return Synthesized.QueueMode.central();
    }

    private static List<JsonNode> resources(String type) {
        List<JsonNode> out = new ArrayList<>();
        TEMPLATE.get("Resources").forEach(r -> {
            if (r.get("Type").asText().equals(type)) {
                out.add(r);
            }
        });
        return out;
    }

    @Test
    void ingestPath_isRuleToQueueWithDlq_andAMappingOnTheAliasWithPartialBatchFailures() {
        String queue = id(central().ingestQueue().orElseThrow());
        String dlq = id(central().ingestDlq());
        JsonNode target = resources("AWS::Events::Rule").get(0).at("/Properties/Targets/0");
        assertThat(Policies.render(target.get("Arn"))).isEqualTo(queue + ".Arn");
        assertThat(Policies.render(target.at("/DeadLetterConfig/Arn"))).isEqualTo(dlq + ".Arn");
        JsonNode q = TEMPLATE.get("Resources").get(queue).get("Properties");
        assertThat(Policies.render(q.at("/RedrivePolicy/deadLetterTargetArn"))).isEqualTo(dlq + ".Arn");
        assertThat(q.at("/RedrivePolicy/maxReceiveCount").asInt()).isEqualTo(5);
        assertThat(q.get("VisibilityTimeout").asInt()).isEqualTo(180); // 6 × the 30 s function timeout
        List<JsonNode> mappings = resources("AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(1);
        JsonNode mapping = mappings.get(0).get("Properties");
        assertThat(Policies.render(mapping.get("EventSourceArn"))).isEqualTo(queue + ".Arn");
        // The mapping invokes the alias (function:live), so SnapStart's published version serves the batches.
        assertThat(Policies.render(mapping.get("FunctionName"))).contains(id(central().ingestAlias()))
                .endsWith(":" + JobwatchNames.INGEST_ALIAS);
        assertThat(mapping.get("FunctionResponseTypes").toString()).isEqualTo("[\"ReportBatchItemFailures\"]");
        assertThat(mapping.get("BatchSize").asInt()).isEqualTo(10);
        assertThat(mapping.at("/ScalingConfig/MaximumConcurrency").asInt()).isEqualTo(5);
        // No asynchronous path: no invoke permission for EventBridge (only the HTTP API's), no invoke config.
        assertThat(resources("AWS::Lambda::Permission"))
                .allMatch(r -> r.at("/Properties/Principal").asText().equals("apigateway.amazonaws.com"));
        String ingestFn = "${" + id(central().functions().get("ingest")) + "}";
        assertThat(resources("AWS::Lambda::EventInvokeConfig"))
                .noneMatch(c -> Policies.render(c.at("/Properties/FunctionName")).equals(ingestFn));
        assertThat(TEMPLATE.get("Resources").get(id(central().functions().get("ingest")))
                .at("/Properties/SnapStart/ApplyOn").asText()).isEqualTo("PublishedVersions");
    }

    @Test
    void ingestRole_queue_consumesItsQueueOnly() {
        String table = id(central().table()) + ".Arn";
        Set<String> expected = new TreeSet<>();
        for (String a : List.of("logs:CreateLogStream", "logs:PutLogEvents")) {
            expected.add("Allow " + a + " " + id(central().logGroups().get("ingest")) + ".Arn");
        }
        for (String a : List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query",
                "dynamodb:GetItem")) {
            expected.add("Allow " + a + " " + table);
        }
        for (String a : List.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueUrl",
                "sqs:DeleteMessage", "sqs:GetQueueAttributes")) {
            expected.add("Allow " + a + " " + id(central().ingestQueue().orElseThrow()) + ".Arn");
        }
        expected.add("Allow secretsmanager:GetSecretValue arn:${AWS::Partition}:secretsmanager:${AWS::Region}:"
                + "${AWS::AccountId}:secret:jobwatch/http-keys-??????");
        assertThat(Policies.ofRole(TEMPLATE, id(central().roles().get("ingest"))))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void alarms_queue_watchTheQueueAgeAndTheDlq_notLambdasAsyncQueue() {
        List<String> metrics = new ArrayList<>();
        resources("AWS::CloudWatch::Alarm").forEach(a -> metrics.add(a.at("/Properties/MetricName").asText()));
        assertThat(metrics).contains("ApproximateAgeOfOldestMessage")
                .doesNotContain("AsyncEventAge", "AsyncEventsDropped", "DestinationDeliveryFailures");
        assertThat(metrics.stream().filter("ApproximateNumberOfMessagesVisible"::equals)).hasSize(2);
        JsonNode outputs = TEMPLATE.get("Outputs");
        assertThat(outputs.at("/IngestMode/Value").asText()).isEqualTo("queue");
        assertThat(Policies.render(outputs.at("/RedriveCommand/Value"))).isEqualTo("jobwatch aws redrive --queue ${"
                + id(central().ingestDlq()) + "} --to-queue ${" + id(central().ingestQueue().orElseThrow())
                + "} --region ${AWS::Region}");
    }

    @Test
    void awsSolutions_hasNoUnsuppressedErrors_inQueueModeEither() {
        assertThat(Synthesized.QueueMode.SYNTHESIS.errors()).isEmpty();
        String report = Synthesized.QueueMode.SYNTHESIS.nagReports().get(InfraMain.CENTRAL_STACK);
        assertThat(report.lines().filter(l -> l.contains("\"Non-Compliant\""))).isEmpty();
    }
}
