package io.jobwatch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch aws}: the AWS deployment. The CDK lives in the infra module's own jar, never in jobwatch.jar. */
@Command(name = "aws",
        description = "The AWS deployment (CDK app in the infra module).",
        mixinStandardHelpOptions = true,
        subcommands = {AwsCommand.SynthCommand.class, AwsCommand.RedriveCommand.class, CommandLine.HelpCommand.class})
final class AwsCommand implements Runnable {

    @ParentCommand
    Jobwatch root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "synth",
            description = {"Write the CloudFormation templates (DIR/JobwatchCentral.template.json,"
                    + " DIR/JobwatchMember.template.json). No AWS credentials needed; node must be on PATH.",
                "Builds infra/target/jobwatch-infra.jar first when it is missing or older than its sources"
                    + " (./mvnw -q -pl infra -am package -DskipTests), then runs it as a child process.",
                "cdk-nag's AwsSolutions checks run too: exit code 1 on an unsuppressed finding, 2 on bad arguments."},
            mixinStandardHelpOptions = true)
    static final class SynthCommand implements Callable<Integer> {

        @ParentCommand
        AwsCommand aws;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the templates.")
        Path out;

        @Option(names = {"--context", "-c"}, paramLabel = "KEY=VALUE",
                description = "CDK context, e.g. orgId=o-abc123defg, memberAccounts=111111111111,222222222222,"
                        + " centralAccount=…, sesFrom=…, catalog=jobwatch.yml (see infra/README.md).")
        List<String> context = new ArrayList<>();

        @Option(names = "--placeholder-code",
                description = "Use a placeholder Lambda package even when the lambda module's jars (lambda/target/jobwatch-lambda-<task>.jar) exist.")
        boolean placeholderCode;

        @Override
        public Integer call() throws Exception {
            CommandLine cl = aws.root.spec.commandLine();
            InfraLauncher launcher = new InfraLauncher(InfraLauncher.findRepoRoot(Path.of("").toAbsolutePath(),
                    InfraLauncher.jarLocation()));
            return launcher.synth(out, context, placeholderCode, cl.getOut(), cl.getErr());
        }
    }

    @Command(name = "redrive",
            description = {"Replay the ingest dead-letter queue: every event that could not be delivered or stored"
                    + " goes back to the ingest function (--function, direct mode) or the ingest queue (--to-queue,"
                    + " queue mode). The stack's RedriveCommand output is this command with its values.",
                "A message leaves the DLQ only once its event is stored (or accepted by the queue); what fails again"
                    + " stays and can be redriven later. Replaying an event stored before is harmless.",
                "Output: one line per message and a summary; --format json: one object per message"
                    + " {\"messageId\",\"eventId\",\"origin\",\"result\",\"error\"}. Exit code 0 when every message"
                    + " was replayed, 1 when some failed again, 2 on bad arguments."},
            mixinStandardHelpOptions = true)
    static final class RedriveCommand implements Callable<Integer> {

        @ParentCommand
        AwsCommand aws;

        @Spec
        CommandSpec spec;

        @Option(names = "--queue", required = true, paramLabel = "URL", description = "The ingest DLQ's URL (stack output IngestDlqUrl).")
        String queue;

        @CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        static final class Target {
            @Option(names = "--function", paramLabel = "NAME|ARN",
                    description = "Direct mode: the ingest function's alias ARN (stack output IngestFunctionAlias).")
            String function;

            @Option(names = "--to-queue", paramLabel = "URL",
                    description = "Queue mode: the ingest queue's URL (stack output IngestQueueUrl).")
            String toQueue;
        }

        @Option(names = "--max", paramLabel = "N", defaultValue = "10000",
                description = "Stop after N messages (default ${DEFAULT-VALUE}).")
        int max;

        @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
                description = "text (default) or json: one object per message.")
        String format;

        @Option(names = "--region", paramLabel = "R", description = "AWS region. Default: the SDK's (AWS_REGION, profile).")
        String region;

        @Option(names = "--sqs-endpoint", paramLabel = "URL", hidden = true,
                description = "SQS endpoint (a local stand-in such as ElasticMQ).")
        java.net.URI sqsEndpoint;

        @Option(names = "--lambda-endpoint", paramLabel = "URL", hidden = true,
                description = "Lambda endpoint (a local stand-in).")
        java.net.URI lambdaEndpoint;

        @Override
        public Integer call() {
            CommandLine cl = aws.root.spec.commandLine();
            java.io.PrintWriter out = cl.getOut();
            java.io.PrintWriter err = cl.getErr();
            if (!format.equals("text") && !format.equals("json")) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--format: expected text or json, found '"
                        + format + "'");
            }
            boolean json = format.equals("json");
            DlqRedrive.Target to = target.function != null ? new DlqRedrive.ToFunction(target.function)
                    : new DlqRedrive.ToQueue(target.toQueue);
            boolean progress = !json && System.console() != null;
            try (software.amazon.awssdk.services.sqs.SqsClient sqs = sqsClient();
                 software.amazon.awssdk.services.lambda.LambdaClient lambda = target.function != null
                         ? lambdaClient() : null) {
                int[] done = {0};
                DlqRedrive.Summary summary = new DlqRedrive(sqs, lambda).run(
                        new DlqRedrive.Options(queue, to, max, 300), o -> {
                            done[0]++;
                            if (json) {
                                out.println(jsonLine(o));
                            } else if (o.error() != null) {
                                out.println("failed   " + o.messageId() + " event " + (o.eventId().isEmpty() ? "?"
                                        : o.eventId()) + " (" + o.origin() + "): " + o.error());
                            } else {
                                out.println("replayed " + o.messageId() + " event " + (o.eventId().isEmpty() ? "?"
                                        : o.eventId()) + " (" + o.origin() + ")");
                            }
                            if (progress && done[0] % 10 == 0) {
                                err.print("\rredrive: " + done[0] + " messages…");
                                err.flush();
                            }
                        });
                if (progress) {
                    err.print("\r");
                }
                if (!json) {
                    out.println("redrive: " + summary.messages() + " message(s) from " + queue + ": "
                            + summary.replayed() + " replayed, " + summary.failed() + " failed again (left in the DLQ)"
                            + (summary.messages() == 0 ? " — the DLQ is empty" : ""));
                }
                out.flush();
                return summary.failed() == 0 ? 0 : 1;
            }
        }

        private static String jsonLine(DlqRedrive.Outcome o) {
            com.fasterxml.jackson.databind.node.ObjectNode n = new com.fasterxml.jackson.databind.ObjectMapper()
                    .createObjectNode();
            n.put("messageId", o.messageId());
            n.put("eventId", o.eventId());
            n.put("origin", o.origin());
            n.put("result", o.result());
            if (o.error() == null) {
                n.putNull("error");
            } else {
                n.put("error", o.error());
            }
            return n.toString();
        }

        private software.amazon.awssdk.services.sqs.SqsClient sqsClient() {
            var b = software.amazon.awssdk.services.sqs.SqsClient.builder()
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder().build());
            if (sqsEndpoint != null) {
                b.endpointOverride(sqsEndpoint);
            }
            region(b, sqsEndpoint != null);
            return b.build();
        }

        private software.amazon.awssdk.services.lambda.LambdaClient lambdaClient() {
            var b = software.amazon.awssdk.services.lambda.LambdaClient.builder()
                    .httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()
                            // A synchronous invocation of 10 events waits for the function (timeout 30 s).
                            .socketTimeout(java.time.Duration.ofSeconds(60)).build());
            if (lambdaEndpoint != null) {
                b.endpointOverride(lambdaEndpoint);
            }
            region(b, lambdaEndpoint != null);
            return b.build();
        }

        private void region(software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<?, ?> b, boolean local) {
            if (region != null) {
                b.region(software.amazon.awssdk.regions.Region.of(region));
            } else if (local) {
                b.region(software.amazon.awssdk.regions.Region.US_EAST_1);
            }
        }
    }
}
