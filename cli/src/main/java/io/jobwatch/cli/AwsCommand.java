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
        subcommands = {AwsCommand.SynthCommand.class, CommandLine.HelpCommand.class})
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
}
