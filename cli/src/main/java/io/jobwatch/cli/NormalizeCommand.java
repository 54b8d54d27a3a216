package io.jobwatch.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.normalize.RunEventJson;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch normalize}: the documented, stable JSON-lines view of events in the run model. */
@Command(name = "normalize",
        description = {"Normalize EventBridge events into the run model and print one JSON object per event (JSON lines).",
            "Fields, in order: source, account, region, jobName, runId, state, sourceState, terminal, failed, eventId,"
                + " eventTime, startedAt, endedAt, error (times ISO-8601 UTC, null when unknown).",
            "Exit code: 0 when every event was read, 2 when any was rejected (details on stderr)."},
        mixinStandardHelpOptions = true)
final class NormalizeCommand implements Callable<Integer> {

    @ParentCommand
    Jobwatch root;

    @Option(names = "--strict", description = "Treat events of unsupported sources as errors instead of skipping them.")
    boolean strict;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Files holding one event, a JSON array of events, or JSON lines; '-' reads standard input.")
    List<String> files;

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        PrintWriter out = root.spec.commandLine().getOut();
        PrintWriter err = root.spec.commandLine().getErr();
        // The generator hands each line to the writer; the writer is flushed only before notes and at the end.
        JsonGenerator g = mapper.getFactory().createGenerator(out).disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        g.setRootValueSeparator(null);
        EventFiles.Totals t = new EventFiles(mapper, root.stdin, java.time.Clock.systemUTC()).read(files, strict, out, err, (file, index, e) -> {
            RunEventJson.write(g, e);
            g.flush();
            out.write('\n');
        });
        out.flush();
        return t.rejected() > 0 ? 2 : 0;
    }
}
