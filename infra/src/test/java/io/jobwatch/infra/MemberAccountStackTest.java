package io.jobwatch.infra;

import static io.jobwatch.infra.Synthesized.MEMBER_JSON;
import static io.jobwatch.infra.Synthesized.id;
import static io.jobwatch.infra.Synthesized.member;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class MemberAccountStackTest {

    private static Template template;

    @BeforeAll
    static void synthesizeOnce() {
        template = Synthesized.memberTemplate();
    }

    private static JsonNode resource(String logicalId) {
        return MEMBER_JSON.get("Resources").get(logicalId);
    }

    private static final String CENTRAL_BUS = "arn:${AWS::Partition}:events:" + Synthesized.CENTRAL_REGION + ":"
            + Synthesized.CENTRAL_ACCOUNT + ":event-bus/jobwatch";

    @Test
    void forwardRule_onTheDefaultBus_sendsExactlyTheJobEventsToTheCentralBus() {
        JsonNode rule = resource(id(member().forwardRule())).get("Properties");
        assertThat(rule.has("EventBusName")).as("default bus").isFalse();
        assertThat(rule.get("EventPattern").toString()).as("the same pattern as the central rule's")
                .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper()
                        .valueToTree(io.jobwatch.core.source.Sources.eventPattern()).toString());
        assertThat(rule.at("/EventPattern/$or")).hasSize(3); // the unfiltered sources, ECS, DMS
        JsonNode target = rule.at("/Targets/0");
        assertThat(Policies.render(target.get("Arn"))).isEqualTo(CENTRAL_BUS);
        assertThat(Policies.render(target.get("RoleArn"))).isEqualTo(id(member().forwardRole()) + ".Arn");
        assertThat(Policies.render(target.at("/DeadLetterConfig/Arn"))).isEqualTo(id(member().forwardDlq()) + ".Arn");
    }

    @Test
    void forwardRole_mayOnlyPutEventsOnTheCentralBus_andOnlyEventBridgeOfThisAccountAssumesIt() {
        assertThat(Policies.ofRole(MEMBER_JSON, id(member().forwardRole())))
                .containsExactly("Allow events:PutEvents " + CENTRAL_BUS);
        JsonNode trust = resource(id(member().forwardRole())).at("/Properties/AssumeRolePolicyDocument/Statement/0");
        assertThat(Policies.render(trust.get("Principal"))).isEqualTo("{Service=events.amazonaws.com}");
        assertThat(Policies.render(trust.get("Condition")))
                .isEqualTo("{StringEquals={aws:SourceAccount=${AWS::AccountId}}}");
    }

    @Test
    void reconcilerRole_isAssumableOnlyByTheCentralReconcilerRoleWithTheExternalId() {
        JsonNode role = resource(id(member().reconcilerRole()));
        assertThat(role.at("/Properties/RoleName").asText()).isEqualTo("JobwatchReconcilerReadOnly");
        JsonNode statements = role.at("/Properties/AssumeRolePolicyDocument/Statement");
        assertThat(statements).hasSize(1);
        JsonNode trust = statements.get(0);
        assertThat(trust.get("Action").asText()).isEqualTo("sts:AssumeRole");
        assertThat(trust.get("Effect").asText()).isEqualTo("Allow");
        assertThat(Policies.render(trust.get("Principal"))).isEqualTo("{AWS=arn:${AWS::Partition}:iam::"
                + Synthesized.CENTRAL_ACCOUNT + ":role/JobwatchReconciler}");
        assertThat(Policies.render(trust.get("Condition")))
                .isEqualTo("{StringEquals={sts:ExternalId=" + Synthesized.EXTERNAL_ID + "}}");
    }

    @Test
    void reconcilerRole_mayCallExactlyTheReadOnlyRunListingActions() {
        List<String> expected = new ArrayList<>();
        for (String action : List.of("glue:GetJobRuns", "glue:GetJobs", "glue:ListCrawls", "states:ListExecutions",
                "states:ListStateMachines", "batch:DescribeJobQueues", "batch:ListJobs", "datasync:ListTaskExecutions",
                "datasync:DescribeTaskExecution", "emr-serverless:ListJobRuns", "appflow:DescribeFlowExecutionRecords",
                "ecs:ListClusters", "ecs:ListTasks", "ecs:DescribeTasks",
                "elasticmapreduce:ListClusters", "elasticmapreduce:ListSteps",
                "sagemaker:ListPipelines", "sagemaker:ListPipelineExecutions", "sagemaker:DescribePipelineExecution",
                "dms:DescribeReplicationTasks", "databrew:ListJobs", "databrew:ListJobRuns")) {
            expected.add("Allow " + action + " *");
        }
        assertThat(Policies.ofRole(MEMBER_JSON, id(member().reconcilerRole())))
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(MEMBER_JSON.get("Resources")).noneMatch(r -> r.get("Type").asText().equals("AWS::IAM::Policy")
                && Policies.render(r.at("/Properties/Roles/0")).equals("${" + id(member().reconcilerRole()) + "}"));
    }

    @Test
    void reconcilerRole_grantsExactlyTheSourcesReconcileActions_andEveryEventBridgeSourceHasALister() {
        assertThat(MemberAccountStack.RECONCILER_ACTIONS).containsExactlyInAnyOrderElementsOf(
                io.jobwatch.core.source.Sources.eventBridge().stream().flatMap(d -> d.reconcileActions().stream()).toList());
        assertThat(io.jobwatch.reconcile.aws.AwsRunSources.listers()).extracting(l -> l.source())
                .containsExactlyElementsOf(io.jobwatch.core.source.Sources.eventBridge().stream().map(d -> d.source()).toList());
        // Pings and OpenLineage events arrive over HTTP: nothing to list in a member account, no lister, no action.
        assertThat(io.jobwatch.reconcile.aws.AwsRunSources.listers()).extracting(l -> l.source())
                .doesNotContainAnyElementsOf(io.jobwatch.core.source.Sources.http().stream().map(d -> d.source()).toList());
    }

    @Test
    void reconcilerRole_isCreatedOnlyInTheCentralRegion_becauseIamNamesAreGlobal() {
        JsonNode role = resource(id(member().reconcilerRole()));
        String condition = role.get("Condition").asText();
        assertThat(Policies.render(MEMBER_JSON.at("/Conditions/" + condition + "/Fn::Equals")))
                .isEqualTo("[${AWS::Region}, " + Synthesized.CENTRAL_REGION + "]");
        assertThat(resource(id(member().forwardRule())).has("Condition")).isFalse();
    }

    @Test
    void template_isStackSetReady_withoutBootstrapParametersOrAssets() {
        assertThat(MEMBER_JSON.has("Parameters")).isFalse();
        assertThat(MEMBER_JSON.has("Rules")).isFalse();
        assertThat(MEMBER_JSON.toString()).doesNotContain("cdk-hnb659fds").doesNotContain("AssetParameters");
        template.resourceCountIs("AWS::IAM::Role", 2);
        template.hasResourceProperties("AWS::SQS::Queue", Map.of("SqsManagedSseEnabled", true));
    }

    @Test
    void noIdentityStatement_hasAWildcardAction_andOnlyTheListingRoleUsesResourceStar() {
        for (String line : Policies.allIdentityStatements(MEMBER_JSON)) {
            String[] parts = line.split(" ");
            assertThat(parts[1]).as(line).doesNotContain("*");
            if (parts[2].contains("*")) {
                assertThat(MemberAccountStack.RECONCILER_ACTIONS).as(line).contains(parts[1]);
            }
        }
    }
}
