package io.jobwatch.cli;

import java.io.IOException;
import io.jobwatch.core.time.Sleeper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code jobwatch} command. Subcommands are thin: parse, call the core, report. */
@Command(name = "jobwatch",
        mixinStandardHelpOptions = true,
        versionProvider = Jobwatch.Version.class,
        description = "Watches scheduled AWS data jobs (Glue, Step Functions, Batch, ECS, EMR and more: `jobwatch sources`)"
                + " and tells the right people when one fails, runs late or never runs.",
        subcommands = {SourcesCommand.class, NormalizeCommand.class, IngestCommand.class, RunsCommand.class, IncidentsCommand.class, TrendsCommand.class,
            SlaCommand.class, DigestCommand.class, ReconcileCommand.class, ConfigCommand.class, ExportCommand.class,
            ServeCommand.class, DemoCommand.class, AwsCommand.class, CommandLine.HelpCommand.class})
public final class Jobwatch implements Runnable {

    @Spec
    CommandSpec spec;

    /** Standard input for commands that read "-"; replaceable in tests. */
    final InputStream stdin;
    /** The environment commands read their channels and secrets from; replaceable in tests. */
    final Map<String, String> env;
    /** How a retrying sender waits between attempts; replaceable in tests. */
    final Sleeper sleeper;

    Jobwatch(InputStream stdin) {
        this(stdin, System.getenv(), Sleeper.threadSleep());
    }

    Jobwatch(InputStream stdin, Map<String, String> env, Sleeper sleeper) {
        this.stdin = stdin;
        this.env = Map.copyOf(env);
        this.sleeper = sleeper;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(execute(System.in, new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args));
    }

    /** Runs the CLI in-process with the given streams; returns the exit code. */
    public static int execute(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        return execute(new Jobwatch(in), out, err, args);
    }

    /** The same with a given environment and retry sleeper (tests). */
    static int execute(InputStream in, Map<String, String> env, Sleeper sleeper, PrintWriter out,
                       PrintWriter err, String... args) {
        return execute(new Jobwatch(in, env, sleeper), out, err, args);
    }

    private static int execute(Jobwatch root, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = new CommandLine(root);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("jobwatch: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            line.getErr().flush();
            return 1;
        });
        int code = cmd.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Properties p = new Properties();
            try (InputStream in = Jobwatch.class.getResourceAsStream("/jobwatch-version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new String[] {"jobwatch " + p.getProperty("version", "unknown")
                    + " (Java " + System.getProperty("java.version") + ")"};
        }
    }
}
