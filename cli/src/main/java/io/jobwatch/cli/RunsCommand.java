package io.jobwatch.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.normalize.RunEventJson;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch runs}: the runs in the store, filtered. */
@Command(name = "runs", mixinStandardHelpOptions = true,
        description = {"List the runs in the store that started (else ended) within --since, oldest first.",
            "--format json prints one object per run per line: the normalize fields (state = the run's current state,"
                + " eventId null, eventTime = the latest event's time) followed by firstSeen, lastUpdated, eventCount,"
                + " rawJobName (the job name as the service wrote it, before a per-run suffix was stripped)."})
final class RunsCommand implements Callable<Integer> {
    enum Format { table, json }

    @ParentCommand
    Jobwatch root;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--job", paramLabel = "NAME", description = "Only runs of this job (its name, or its full id source:account:region:name).")
    String job;

    @Option(names = "--state", paramLabel = "S", description = "Only runs in this state (PENDING, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED).")
    String state;

    @Option(names = "--since", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
            description = "How far back (90m, 2h, 7d, PT2H). Default: ${DEFAULT-VALUE}.")
    Duration since;

    @Option(names = "--format", defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = root.spec.commandLine().getOut();
        RunState wanted = null;
        if (state != null) {
            try {
                wanted = RunState.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--state " + state + ": expected one of PENDING, RUNNING, SUCCEEDED,"
                        + " FAILED, TIMED_OUT, STOPPED");
            }
        }
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        RunState filterState = wanted;
        ObjectMapper mapper = new ObjectMapper();
        JsonGenerator g = mapper.getFactory().createGenerator(out).disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        g.setRootValueSeparator(null);
        if (format == Format.table) {
            out.printf("%-24s %-10s %-" + SourcesCommand.ID_WIDTH + "s %-40s %-30s %9s %s%n", "started", "state", "source", "job", "run", "duration", "error");
        }
        int[] n = {0};
        try (RunStore store = storeOptions.open(clock)) {
            // A run can start up to a day after "now" by its own clock: look a day ahead too.
            store.runsBetween(now.minus(since), now.plus(Duration.ofDays(1)), run -> {
                if (job != null && !job.equals(run.job().jobName()) && !job.equals(run.job().id())) {
                    return;
                }
                if (filterState != null && run.state() != filterState) {
                    return;
                }
                n[0]++;
                if (format == Format.json) {
                    writeJson(g, out, run);
                } else {
                    out.printf("%-24s %-10s %-" + SourcesCommand.ID_WIDTH + "s %-40s %-30s %9s %s%n", run.sortTime(), run.state(),
                            run.job().source().id(), clip(run.job().jobName(), 40), clip(run.runId(), 30),
                            run.duration().map(RunsCommand::human).orElse("-"),
                            remark(run));
                }
            });
        }
        if (format == Format.table) {
            out.printf("%d run(s)%n", n[0]);
        }
        out.flush();
        return 0;
    }

    private static void writeJson(JsonGenerator g, PrintWriter out, Run run) {
        try {
            g.writeStartObject();
            RunEventJson.writeFields(g, run.job().source().id(), run.job().account(), run.job().region(),
                    run.job().jobName(), run.runId(), run.state().name(), run.sourceState(), run.terminal(),
                    run.failed(), null, run.lastEventTime(), run.startedAt(), run.endedAt(), run.error(),
                    run.attempt(), run.warning());
            RunEventJson.writeTime(g, "firstSeen", run.firstSeen());
            RunEventJson.writeTime(g, "lastUpdated", run.lastUpdated());
            g.writeNumberField("eventCount", run.eventCount());
            g.writeStringField("rawJobName", run.serviceJobName());
            g.writeEndObject();
            g.flush();
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table's last column: the error, else the warning; the attempt when the run was retried. */
    private static String remark(Run run) {
        String text = run.error() != null ? run.error() : run.warning() != null ? "warning: " + run.warning() : "";
        String attempt = run.attempt() > 1 ? "[attempt " + run.attempt() + "] " : "";
        return clip(attempt + text.replaceAll("\\s+", " "), 80);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format("%dh%02dm", s / 3600, s % 3600 / 60)
                : s >= 60 ? String.format("%dm%02ds", s / 60, s % 60) : s + "s";
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
