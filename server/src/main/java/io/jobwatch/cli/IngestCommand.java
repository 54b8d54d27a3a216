package io.jobwatch.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.normalize.RunEventJson;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.InvalidRunEventException;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch ingest}: events from files into the run store, idempotently and in any order. */
@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = {"Normalize events (as for normalize) and apply them to the run store.",
            "Prints one line: created N, advanced N, duplicate N, stale N, rejected N.",
            "Rejected events (malformed, or invalid for the run model) are parked in the store with their reason"
                + " and reported on stderr as FILE:INDEX: reason.",
            "Exit code: 0 when every event was applied, 2 when any was rejected."})
final class IngestCommand implements Callable<Integer> {
    /** Events applied per batch (one SQLite transaction). */
    static final int BATCH = 5_000;

    @ParentCommand
    Jobwatch root;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--strict", description = "Treat events of unsupported sources as rejected instead of skipping them.")
    boolean strict;

    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "Files holding one event, a JSON array of events, or JSON lines; '-' reads standard input.")
    List<String> files;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = root.spec.commandLine().getOut();
        PrintWriter err = root.spec.commandLine().getErr();
        ObjectMapper mapper = new ObjectMapper();
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        int[] rejected = {0};
        try (RunStore store = storeOptions.open(Clock.systemUTC())) {
            List<RunEvent> batch = new ArrayList<>(BATCH);
            EventFiles.Totals totals = new EventFiles(mapper, root.stdin).read(files, strict, out, err, new EventFiles.Sink() {
                @Override
                public void event(String file, int index, RunEvent e) throws IOException {
                    try {
                        RunFold.validate(e);
                    } catch (InvalidRunEventException invalid) {
                        out.flush();
                        err.println(file + ":" + index + ": " + invalid.getMessage());
                        err.flush();
                        store.park(json(mapper, e), invalid.getMessage(), file + ":" + index);
                        rejected[0]++;
                        return;
                    }
                    batch.add(e);
                    if (batch.size() >= BATCH) {
                        flush(store, batch, counts);
                    }
                }

                @Override
                public void rejected(String file, int index, String rawJson, String reason) {
                    store.park(rawJson, reason, file + ":" + index);
                }
            });
            flush(store, batch, counts);
            rejected[0] += totals.rejected();
        }
        out.printf("created %d, advanced %d, duplicate %d, stale %d, rejected %d%n",
                counts.getOrDefault(Outcome.CREATED, 0), counts.getOrDefault(Outcome.ADVANCED, 0),
                counts.getOrDefault(Outcome.DUPLICATE, 0), counts.getOrDefault(Outcome.STALE, 0), rejected[0]);
        out.flush();
        return rejected[0] > 0 ? 2 : 0;
    }

    private static void flush(RunStore store, List<RunEvent> batch, Map<Outcome, Integer> counts) {
        if (batch.isEmpty()) {
            return;
        }
        for (ApplyResult r : store.applyAll(batch)) {
            counts.merge(r.outcome(), 1, Integer::sum);
        }
        batch.clear();
    }

    private static String json(ObjectMapper mapper, RunEvent e) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = mapper.getFactory().createGenerator(w)) {
            RunEventJson.write(g, e);
        }
        return w.toString();
    }
}
