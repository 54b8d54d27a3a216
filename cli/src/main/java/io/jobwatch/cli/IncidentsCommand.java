package io.jobwatch.cli;

import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.OutboxEntry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch incidents}: Jobwatch's open incidents and its outbox of actions for ServiceNow. */
@Command(name = "incidents", mixinStandardHelpOptions = true,
        description = {"List open incidents (default, or --open) or the outbox (--outbox: pending and parked actions).",
            "`incidents retry` sends what the outbox holds now."},
        subcommands = IncidentsCommand.Retry.class)
final class IncidentsCommand implements Callable<Integer> {

    @ParentCommand
    Jobwatch root;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--open", description = "Open incidents (the default).")
    boolean open;

    @Option(names = "--outbox", description = "Pending and parked incident actions.")
    boolean outbox;

    @Override
    public Integer call() {
        PrintWriter out = root.spec.commandLine().getOut();
        try (StoreOptions.IncidentData data = storeOptions.openIncidents(Clock.systemUTC())) {
            if (outbox) {
                printOutbox(out, data.pending(), data.parked());
            } else {
                printOpen(out, data.open());
            }
        }
        return 0;
    }

    static void printOpen(PrintWriter out, List<IncidentRecord> open) {
        out.printf("%d open incident%s%n", open.size(), open.size() == 1 ? "" : "s");
        if (open.isEmpty()) {
            return;
        }
        out.printf("%-12s %-13s %-60s %-22s %-22s %s%n", "number", "kind", "job", "opened", "updated", "failures in a row");
        for (IncidentRecord r : open) {
            out.printf("%-12s %-13s %-60s %-22s %-22s %d%n", r.number() == null ? "(not sent)" : r.number(), r.kind(),
                    r.job().id(), r.openedAt(), r.updatedAt(), r.consecutiveFailures());
        }
    }

    static void printOutbox(PrintWriter out, List<OutboxEntry> pending, List<OutboxEntry> parked) {
        out.printf("outbox: %d pending, %d parked%n", pending.size(), parked.size());
        for (OutboxEntry e : pending) {
            out.printf("pending %-8s %-60s attempts %d, next %s%s%n", e.action().getClass().getSimpleName(),
                    e.correlationId(), e.attempts(), e.nextAttemptAt(), e.lastError() == null ? "" : ", last error: " + e.lastError());
        }
        for (OutboxEntry e : parked) {
            out.printf("parked  %-8s %-60s HTTP %d: %s%s%n", e.action().getClass().getSimpleName(), e.correlationId(),
                    e.responseStatus(), e.lastError(), e.responseBody() == null ? "" : " — " + oneLine(e.responseBody()));
        }
    }

    private static String oneLine(String s) {
        String t = s.replaceAll("\\s+", " ");
        return t.length() > 200 ? t.substring(0, 199) + "…" : t;
    }

    /** {@code jobwatch incidents retry}: drain the outbox now. */
    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Send the pending incident actions now (to ServiceNow when SERVICENOW_URL is set, else the dry-run file).")
    static final class Retry implements Callable<Integer> {
        @ParentCommand
        IncidentsCommand parent;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
                description = "How long to keep trying. Default: ${DEFAULT-VALUE}.")
        Duration timeout;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = parent.root.spec.commandLine().getOut();
            Clock clock = Clock.systemUTC();
            StoreOptions options = parent.storeOptions;
            try (StoreOptions.IncidentData data = options.openIncidents(clock)) {
                IncidentSender sender = IncidentSender.of(data, parent.root.env, options.dataDir(), clock);
                DrainReport r = sender.drain(timeout);
                out.printf("%s; %s%n", IncidentSender.describe(r), sender.target());
                return r.pending() > 0 ? 1 : 0;
            }
        }
    }
}
