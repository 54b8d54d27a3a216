package io.jobwatch.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.cxapi.CloudAssembly;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;

/**
 * The CDK app. Two ways to run it:
 * <ul>
 *   <li>by the aws-cdk CLI ({@code cdk.json}: {@code java -jar target/jobwatch-infra.jar}): context and output
 *       directory come from the CLI;</li>
 *   <li>{@code java -jar jobwatch-infra.jar --out DIR [--context key=value]… [--placeholder-code]} (what
 *       {@code jobwatch aws synth} runs): synthesizes into a temporary assembly and writes
 *       {@code DIR/<StackName>.template.json}, one per stack. No AWS credentials are needed.</li>
 * </ul>
 * cdk-nag's AwsSolutions pack runs on every synth; an unsuppressed finding fails the command (exit 1).
 */
public final class InfraMain {

    public static final String CENTRAL_STACK = "JobwatchCentral";
    public static final String MEMBER_STACK = "JobwatchMember";

    /**
     * CDK feature flags this app relies on (cdk.json carries the same when the aws-cdk CLI runs the app): access logs
     * are delivered through a bucket policy, which works with ACLs disabled (BucketOwnerEnforced).
     */
    static final Map<String, Object> FEATURE_FLAGS = Map.of("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);

    private InfraMain() {
    }

    /**
     * What one synthesis produced. Findings are "stack path: message"; nagReports maps each stack to cdk-nag's CSV
     * report (every rule × resource: Compliant, Non-Compliant, Suppressed with its reason, N/A).
     */
    public record Synthesis(CentralStack central, MemberAccountStack member, Map<String, Path> templates,
                            List<String> errors, List<String> warnings, Map<String, String> nagReports) {
    }

    /** Parsed command line. */
    public record Options(Path out, Map<String, String> context, boolean placeholderCode) {

        static final String USAGE = "usage: jobwatch-infra [--out DIR] [--context key=value]… [--placeholder-code]";

        public static Options parse(String... args) {
            Path out = null;
            Map<String, String> context = new LinkedHashMap<>();
            boolean placeholder = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--out") || a.equals("--context") || a.equals("-c")) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value\n" + USAGE);
                    }
                    String value = args[++i];
                    if (a.equals("--out")) {
                        out = Path.of(value);
                    } else {
                        int eq = value.indexOf('=');
                        if (eq <= 0) {
                            throw new IllegalArgumentException("--context expects key=value, found '" + value
                                    + "' (e.g. --context orgId=o-abc123defg)\n" + USAGE);
                        }
                        String key = value.substring(0, eq);
                        if (!InfraConfig.DEFAULTS.containsKey(key)) {
                            throw new IllegalArgumentException("unknown context key '" + key + "'; known keys: "
                                    + String.join(", ", InfraConfig.DEFAULTS.keySet()));
                        }
                        context.put(key, value.substring(eq + 1));
                    }
                } else if (a.equals("--placeholder-code")) {
                    placeholder = true;
                } else {
                    throw new IllegalArgumentException("unknown argument '" + a + "'\n" + USAGE);
                }
            }
            return new Options(out, Map.copyOf(context), placeholder);
        }
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the app; returns the exit code (0 ok, 1 nag findings or synthesis failure, 2 bad arguments). */
    public static int run(PrintStream out, PrintStream err, String... args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("jobwatch-infra: " + e.getMessage());
            return 2;
        }
        try {
            Synthesis s = synthesize(options);
            for (String w : s.warnings()) {
                err.println("warning: " + w);
            }
            for (Map.Entry<String, Path> t : s.templates().entrySet()) {
                out.println("wrote " + t.getValue());
            }
            if (!s.errors().isEmpty()) {
                for (String e : s.errors()) {
                    err.println("error: " + e);
                }
                err.println("jobwatch-infra: " + s.errors().size() + " unsuppressed cdk-nag finding(s)");
                return 1;
            }
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("jobwatch-infra: " + e.getMessage());
            return 2;
        }
    }

    /** Builds both stacks, applies cdk-nag, synthesizes, and (with --out) writes the templates. */
    public static Synthesis synthesize(Options options) {
        Path work = tempDir();
        try {
            Path outdir = options.out() == null ? null : work.resolve("cdk.out");
            Map<String, Object> context = new LinkedHashMap<>(FEATURE_FLAGS);
            context.putAll(options.context());
            AppProps.Builder props = AppProps.builder().context(context);
            if (outdir != null) {
                props.outdir(outdir.toString());
            }
            App app = new App(props.build());
            InfraConfig config = InfraConfig.from(key -> app.getNode().tryGetContext(key));
            LambdaPackage code = LambdaPackage.stage(options.placeholderCode() ? null : lambdaJar(config),
                    config.catalog().isEmpty() ? null : Path.of(config.catalog()), work.resolve("lambda-package"));
            CentralStack central = new CentralStack(app, CENTRAL_STACK, StackProps.builder()
                    .description("Jobwatch central account: event bus, ingest, store, digests, SLA, export").build(),
                    config, code);
            MemberAccountStack member = new MemberAccountStack(app, MEMBER_STACK, StackProps.builder()
                    .description("Jobwatch member account: forwards job events, read-only reconciler role").build(),
                    config);
            Tags.of(app).add("app", "jobwatch");
            Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).reports(true).build()));
            CloudAssembly assembly = app.synth();

            List<String> errors = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            Map<String, Path> templates = new LinkedHashMap<>();
            for (CloudFormationStackArtifact stack : assembly.getStacks()) {
                for (SynthesisMessage m : stack.getMessages()) {
                    String text = stack.getStackName() + " " + m.getId() + ": " + String.valueOf(m.getEntry().getData()).strip();
                    if (m.getLevel() == SynthesisMessageLevel.ERROR) {
                        errors.add(text);
                    } else if (m.getLevel() == SynthesisMessageLevel.WARNING) {
                        warnings.add(text);
                    }
                }
                if (options.out() != null) {
                    Files.createDirectories(options.out());
                    Path target = options.out().resolve(stack.getStackName() + ".template.json");
                    Files.copy(Path.of(stack.getTemplateFullPath()), target, StandardCopyOption.REPLACE_EXISTING);
                    templates.put(stack.getStackName(), target);
                }
            }
            Map<String, String> reports = new LinkedHashMap<>();
            for (CloudFormationStackArtifact stack : assembly.getStacks()) {
                Path report = Path.of(assembly.getDirectory(), "AwsSolutions-" + stack.getStackName() + "-NagReport.csv");
                if (Files.isRegularFile(report)) {
                    reports.put(stack.getStackName(), Files.readString(report));
                }
            }
            return new Synthesis(central, member, Map.copyOf(templates), List.copyOf(errors), List.copyOf(warnings),
                    Map.copyOf(reports));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the templates to " + options.out() + ": " + e.getMessage(), e);
        } finally {
            // Synthesis copied the staged package into the assembly; with --out the templates are copied too.
            deleteRecursively(work);
        }
    }

    /**
     * The handler jar: context lambdaJar, else lambda/target/jobwatch-lambda-ingest.jar next to or above the working
     * dir; the other functions' jars are its siblings (see {@link LambdaPackage}).
     */
    private static Path lambdaJar(InfraConfig config) {
        if (!config.lambdaJar().isEmpty()) {
            return Path.of(config.lambdaJar());
        }
        for (Path candidate : List.of(Path.of(JobwatchNames.LAMBDA_JAR), Path.of("..", JobwatchNames.LAMBDA_JAR))) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("jobwatch-infra");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}
