package io.jobwatch.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code jobwatch} command. Subcommands are thin: parse, call the core, report. */
@Command(name = "jobwatch",
        mixinStandardHelpOptions = true,
        versionProvider = Jobwatch.Version.class,
        description = "Watches scheduled AWS data jobs (Glue, Step Functions, AppFlow, DataSync, Batch, EMR Serverless)"
                + " and tells the right people when one fails, runs late or never runs.",
        subcommands = {NormalizeCommand.class, IngestCommand.class, RunsCommand.class, IncidentsCommand.class,
            SlaCommand.class, DigestCommand.class, ReconcileCommand.class, ConfigCommand.class, ExportCommand.class,
            ServeCommand.class, DemoCommand.class, AwsCommand.class, CommandLine.HelpCommand.class})
public final class Jobwatch implements Runnable {

    @Spec
    CommandSpec spec;

    /** Standard input for commands that read "-"; replaceable in tests. */
    final InputStream stdin;

    Jobwatch(InputStream stdin) {
        this.stdin = stdin;
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
        CommandLine cmd = new CommandLine(new Jobwatch(in));
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
