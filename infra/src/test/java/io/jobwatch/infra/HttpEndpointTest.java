package io.jobwatch.infra;

import static io.jobwatch.infra.Synthesized.CENTRAL_JSON;
import static io.jobwatch.infra.Synthesized.central;
import static io.jobwatch.infra.Synthesized.id;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The HTTP endpoint of jobs outside AWS: an HTTP API in front of the ingest function's alias, exactly two routes,
 * throttled, access-logged without the path (a ping's key is in it) or any header, the keys' secret readable by the
 * ingest function only.
 */
class HttpEndpointTest {
    private static final Template TEMPLATE = Synthesized.centralTemplate();

    private static List<JsonNode> resources(String type) {
        List<JsonNode> out = new ArrayList<>();
        CENTRAL_JSON.get("Resources").forEach(r -> {
            if (r.get("Type").asText().equals(type)) {
                out.add(r);
            }
        });
        return out;
    }

    @Test
    void oneHttpApi_withExactlyThePingAndLineageRoutes_toTheIngestAlias_payloadFormat2() {
        TEMPLATE.resourceCountIs("AWS::ApiGatewayV2::Api", 1);
        TEMPLATE.hasResourceProperties("AWS::ApiGatewayV2::Api", Map.of("ProtocolType", "HTTP", "Name", "jobwatch"));
        assertThat(resources("AWS::ApiGatewayV2::Route")).extracting(r -> r.at("/Properties/RouteKey").asText())
                .containsExactlyInAnyOrder("GET /ping/{proxy+}", "HEAD /ping/{proxy+}", "POST /ping/{proxy+}",
                        "POST /api/v1/lineage");
        assertThat(resources("AWS::ApiGatewayV2::Route")).allSatisfy(r ->
                assertThat(r.at("/Properties/AuthorizationType").asText("NONE")).isEqualTo("NONE"));
        List<JsonNode> integrations = resources("AWS::ApiGatewayV2::Integration");
        assertThat(integrations).singleElement().satisfies(i -> {
            assertThat(i.at("/Properties/IntegrationType").asText()).isEqualTo("AWS_PROXY");
            assertThat(i.at("/Properties/PayloadFormatVersion").asText()).isEqualTo("2.0");
            assertThat(Policies.render(i.at("/Properties/IntegrationUri"))).isEqualTo("${" + id(central().ingestAlias()) + "}");
        });
        // API Gateway may invoke the alias, from this API only.
        assertThat(resources("AWS::Lambda::Permission")).anySatisfy(p -> {
            assertThat(p.at("/Properties/Principal").asText()).isEqualTo("apigateway.amazonaws.com");
            assertThat(Policies.render(p.at("/Properties/FunctionName"))).isEqualTo("${" + id(central().ingestAlias()) + "}");
            assertThat(Policies.render(p.at("/Properties/SourceArn"))).contains(id(central().httpApi()));
        });
    }

    @Test
    void stage_isThrottled_andLogsAccessWithoutPathKeyOrHeaders() {
        JsonNode stage = resources("AWS::ApiGatewayV2::Stage").get(0);
        assertThat(resources("AWS::ApiGatewayV2::Stage")).hasSize(1);
        assertThat(stage.at("/Properties/StageName").asText()).isEqualTo("$default");
        assertThat(stage.at("/Properties/AutoDeploy").asBoolean()).isTrue();
        assertThat(stage.at("/Properties/DefaultRouteSettings/ThrottlingRateLimit").asInt()).isEqualTo(50);
        assertThat(stage.at("/Properties/DefaultRouteSettings/ThrottlingBurstLimit").asInt()).isEqualTo(100);
        assertThat(Policies.render(stage.at("/Properties/AccessLogSettings/DestinationArn")))
                .isEqualTo(id(central().httpAccessLogs()) + ".Arn");
        String format = stage.at("/Properties/AccessLogSettings/Format").asText();
        assertThat(format).contains("$context.routeKey", "$context.status", "$context.requestId");
        assertThat(format).doesNotContain("$context.path", "$context.http", "$request.", "header", "authorizer");
        TEMPLATE.hasResourceProperties("AWS::Logs::LogGroup", Match.objectLike(Map.of("RetentionInDays", 30)));
    }

    @Test
    void ingestFunction_namesTheKeysSecret_andTheStackOutputsTheEndpoint() {
        String ingest = id(central().functions().get("ingest"));
        assertThat(CENTRAL_JSON.at("/Resources/" + ingest + "/Properties/Environment/Variables/"
                + JobwatchNames.ENV_HTTP_KEYS_SECRET_ID).asText()).isEqualTo("jobwatch/http-keys");
        assertThat(Policies.render(CENTRAL_JSON.at("/Outputs/HttpEndpoint/Value")))
                .contains(id(central().httpApi()));
        // Only the ingest role may read the keys' secret.
        for (String task : CentralStack.TASKS) {
            boolean reads = Policies.ofRole(CENTRAL_JSON, id(central().roles().get(task))).stream()
                    .anyMatch(p -> p.contains("jobwatch/http-keys"));
            assertThat(reads).as(task).isEqualTo(task.equals("ingest"));
        }
    }

    @Test
    void routesWithoutAnApiGatewayAuthorizer_areSuppressedForCdkNag_withTheReason() {
        for (JsonNode route : resources("AWS::ApiGatewayV2::Route")) {
            assertThat(route.at("/Metadata/cdk_nag/rules_to_suppress")).anySatisfy(s -> {
                assertThat(s.get("id").asText()).isEqualTo("AwsSolutions-APIG4");
                assertThat(s.get("reason").asText()).contains("authorizes every request before it stores anything");
            });
        }
    }
}
