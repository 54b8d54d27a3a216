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
import java.util.Optional;
import java.util.concurrent.Callable;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.IncidentChannels;
import io.jobwatch.core.ingest.IngestPipeline;
import java.time.Duration;
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
            "Runs that finished are judged by the incident policy (catalog: --config, else ./jobwatch.yml, else every"
                + " failure is incident-worthy); the decided actions go through the outbox and are sent before exit:"
                + " to ServiceNow when SERVICENOW_URL is set, else to a dry-run file next to the store.",
            "Exit code: 0 when every event was applied, 2 when any was rejected."})
final class IngestCommand implements Callable<Integer> {
    /** Events applied per batch (one SQLite transaction). */
    static final int BATCH = 5_000;
    /** Rejected events of one file parked one by one; the rest of that file's share one parked row (all on stderr). */
    static final int MAX_PARKED_PER_FILE = 100;

    @ParentCommand
    Jobwatch root;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--strict", description = "Treat events of unsupported sources as rejected instead of skipping them.")
    boolean strict;

    @Option(names = "--config", paramLabel = "FILE", description = "Catalog (default: ./jobwatch.yml if present).")
    String config;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to keep sending incident actions before exiting; the rest stays in the outbox. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

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
        Optional<Optional<Catalog>> catalog = CatalogFiles.loadUserCatalog(config, err);
        if (catalog.isEmpty()) {
            return 2;
        }
        Clock clock = Clock.systemUTC();
        long[] actions = {0};
        DrainReport sent = null;
        String target = null;
        try (RunStore store = storeOptions.open(clock); io.jobwatch.core.incident.Incidents incidents = storeOptions.openIncidents(clock)) {
            Catalog c = catalog.get().orElse(null);
            IncidentChannels channels = TeamChannels.of(c, root.env, storeOptions.dataDir(), clock);
            IngestPipeline pipeline = new IngestPipeline(store, c == null ? null : () -> c,
                    new IncidentTracker(new IncidentPolicy(clock), incidents, incidents, clock, channels,
                            io.jobwatch.core.incident.IncidentTimes.of(store.rollups())));
            List<RunEvent> batch = new ArrayList<>(BATCH);
            EventFiles.Totals totals = new EventFiles(mapper, root.stdin, clock, c == null
                    ? io.jobwatch.core.source.IdentityOverride.NONE : Catalog.identities(() -> c)).read(files, strict, out, err, new EventFiles.Sink() {
                @Override
                public void event(String file, int index, RunEvent e) throws IOException {
                    try {
                        RunFold.validate(e);
                    } catch (InvalidRunEventException invalid) {
                        out.flush();
                        err.println(file + ":" + index + ": " + invalid.getMessage());
                        err.flush();
                        park(json(mapper, e), invalid.getMessage(), file, index);
                        rejected[0]++;
                        return;
                    }
                    batch.add(e);
                    if (batch.size() >= BATCH) {
                        actions[0] += flush(pipeline, batch, counts);
                    }
                }

                @Override
                public void rejected(String file, int index, String rawJson, String reason) {
                    park(rawJson, reason, file, index);
                }

                // A file of 100,000 bad elements must not park 100,000 rows: stderr already names every one.
                private final Map<String, int[]> perFile = new java.util.LinkedHashMap<>();

                private void park(String raw, String reason, String file, int index) {
                    int[] n = perFile.computeIfAbsent(file, f -> new int[] {0, -1, 0});
                    if (n[0] < MAX_PARKED_PER_FILE) {
                        n[0]++;
                        store.park(raw, reason, file + ":" + index);
                        return;
                    }
                    if (n[1] < 0) {
                        n[1] = index;
                    }
                    n[2]++;
                }

                @Override
                public void fileDone(String file) {
                    int[] n = perFile.remove(file);
                    if (n != null && n[2] > 0) {
                        store.park(null, n[2] + " more rejected event(s) of this file (from event " + n[1]
                                + ") were not parked one by one: at most " + MAX_PARKED_PER_FILE
                                + " per file; each one was reported on stderr", file + ":" + n[1]);
                    }
                }
            });
            actions[0] += flush(pipeline, batch, counts);
            rejected[0] += totals.rejected();
            if (!incidents.pending().isEmpty()) {
                IncidentSender sender = IncidentSender.of(incidents, channels, root.env, storeOptions.dataDir(), clock);
                target = sender.target();
                sent = sender.drain(timeout);
            }
        }
        out.printf("created %d, advanced %d, duplicate %d, stale %d, rejected %d%n",
                counts.getOrDefault(Outcome.CREATED, 0), counts.getOrDefault(Outcome.ADVANCED, 0),
                counts.getOrDefault(Outcome.DUPLICATE, 0), counts.getOrDefault(Outcome.STALE, 0), rejected[0]);
        out.flush();
        if (sent != null) {
            // stdout keeps the one counts line scripts read; the incident report is a note.
            err.printf("incidents: %d actions decided; %s; %s%n", actions[0], IncidentSender.describe(sent), target);
            err.flush();
        }
        return rejected[0] > 0 ? 2 : 0;
    }

    private static long flush(IngestPipeline pipeline, List<RunEvent> batch, Map<Outcome, Integer> counts) {
        if (batch.isEmpty()) {
            return 0;
        }
        IngestPipeline.Result result = pipeline.ingest(batch);
        for (ApplyResult r : result.applied()) {
            counts.merge(r.outcome(), 1, Integer::sum);
        }
        batch.clear();
        return result.actions();
    }

    private static String json(ObjectMapper mapper, RunEvent e) throws IOException {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = mapper.getFactory().createGenerator(w)) {
            RunEventJson.write(g, e);
        }
        return w.toString();
    }
}
