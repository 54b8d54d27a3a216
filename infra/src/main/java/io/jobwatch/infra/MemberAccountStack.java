package io.jobwatch.infra;

import static io.jobwatch.infra.JobwatchNames.BUS_NAME;
import static io.jobwatch.infra.JobwatchNames.RECONCILER_READ_ONLY_ROLE;
import static io.jobwatch.infra.JobwatchNames.RECONCILER_ROLE;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.jobwatch.core.source.Sources;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.BootstraplessSynthesizer;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.events.EventBus;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.EventBusProps;
import software.amazon.awscdk.services.iam.ArnPrincipal;
import software.amazon.awscdk.services.iam.CfnRole;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * One per member account and region, deployed as a service-managed StackSet to the whole Organization: a rule on the
 * default bus forwarding exactly the job events to the central bus (own role, own DLQ), and — in the central region
 * only, since IAM names are global — the read-only role the central reconciler assumes. It uses no assets and no
 * bootstrap resources ({@link BootstraplessSynthesizer}), so its template deploys through StackSets as is.
 */
public final class MemberAccountStack extends Stack {

    /**
     * Exactly what the reconciler's run listers call: the union of the source descriptors' reconcile actions
     * ({@link Sources#reconcileActions()}; reconcile-aws's tests check each lister calls only its source's). List and
     * describe run history, nothing else.
     */
    public static final List<String> RECONCILER_ACTIONS = Sources.reconcileActions();

    private final Rule forwardRule;
    private final Role forwardRole;
    private final Queue forwardDlq;
    private final Role reconcilerRole;

    public MemberAccountStack(Construct scope, String id, StackProps props, InfraConfig config) {
        super(scope, id, StackProps.builder()
                .description(props.getDescription())
                .synthesizer(new BootstraplessSynthesizer())
                .build());

        String centralBusArn = "arn:" + Aws.PARTITION + ":events:" + config.centralRegion() + ":"
                + config.centralAccount() + ":event-bus/" + BUS_NAME;
        IEventBus centralBus = EventBus.fromEventBusArn(this, "CentralBus", centralBusArn);
        forwardRole = Role.Builder.create(this, "ForwardRole")
                .assumedBy(new ServicePrincipal("events.amazonaws.com").withConditions(
                        Map.of("StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID))))
                .description("Lets the Jobwatch rule put job events on the central bus")
                .build();
        forwardDlq = Queue.Builder.create(this, "ForwardDlq")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        forwardRule = JobEvents.applyTo(Rule.Builder.create(this, "ForwardJobEvents")
                .description("Forwards the job state changes Jobwatch follows to the Jobwatch central bus")
                .eventPattern(JobEvents.pattern())
                .targets(List.of(new software.amazon.awscdk.services.events.targets.EventBus(centralBus,
                        EventBusProps.builder().role(forwardRole).deadLetterQueue(forwardDlq).build())))
                .build());

        // IAM is global: the role exists once per account, created by the stack instance in the central region.
        CfnCondition inCentralRegion = CfnCondition.Builder.create(this, "InCentralRegion")
                .expression(Fn.conditionEquals(Aws.REGION, config.centralRegion()))
                .build();
        reconcilerRole = Role.Builder.create(this, "ReconcilerReadOnlyRole")
                .roleName(RECONCILER_READ_ONLY_ROLE)
                .description("Read-only run history for the Jobwatch reconciler in the central account")
                .assumedBy(new ArnPrincipal("arn:" + Aws.PARTITION + ":iam::" + config.centralAccount() + ":role/"
                        + RECONCILER_ROLE))
                .externalIds(List.of(config.reconcileExternalId()))
                .maxSessionDuration(Duration.hours(1))
                .inlinePolicies(Map.of("ReadRunHistory", PolicyDocument.Builder.create()
                        .statements(List.of(PolicyStatement.Builder.create()
                                .sid("ListRecentRuns")
                                .actions(RECONCILER_ACTIONS)
                                .resources(List.of("*"))
                                .build()))
                        .build()))
                .build();
        ((CfnRole) reconcilerRole.getNode().getDefaultChild()).getCfnOptions().setCondition(inCentralRegion);

        NagSuppressions.addResourceSuppressions(reconcilerRole, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("Read-only listing of run history for every job of the account: the listing actions"
                        + " (e.g. glue:GetJobs, states:ListStateMachines, batch:ListJobs) support no resource-level"
                        + " permissions, and the per-run reads must cover every job the account has (" 
                        + String.join(", ", RECONCILER_ACTIONS) + ");"
                        + " the role is assumable only by the central reconciler role with an external id")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
        NagSuppressions.addResourceSuppressions(forwardDlq, List.of(CentralStack.suppress("AwsSolutions-SQS3",
                "This queue is itself the dead-letter queue of the forwarding rule's target")));
    }

    public Rule forwardRule() {
        return forwardRule;
    }

    public Role forwardRole() {
        return forwardRole;
    }

    public Queue forwardDlq() {
        return forwardDlq;
    }

    public Role reconcilerRole() {
        return reconcilerRole;
    }
}
