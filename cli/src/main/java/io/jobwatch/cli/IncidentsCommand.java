package io.jobwatch.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.OutboxEntry;
import java.io.IOException;
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
            "--format json prints one object per line: for incidents number, kind, job, state, openedAt, updatedAt,"
                + " runs (failed runs in a row), sysId; for the outbox action, correlationId, status, attempts,"
                + " lastError (null when none).",
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

    enum Format { table, json }

    @Option(names = "--format", defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = root.spec.commandLine().getOut();
        try (io.jobwatch.core.incident.Incidents data = storeOptions.openIncidents(Clock.systemUTC())) {
            if (format == Format.json) {
                JsonGenerator g = new ObjectMapper().getFactory().createGenerator(out)
                        .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
                g.setRootValueSeparator(null);
                if (outbox) {
                    List<OutboxEntry> all = new java.util.ArrayList<>(data.pending());
                    all.addAll(data.parked());
                    for (OutboxEntry e : all) {
                        writeJson(g, out, e);
                    }
                } else {
                    for (IncidentRecord r : data.open()) {
                        writeJson(g, out, r);
                    }
                }
            } else if (outbox) {
                printOutbox(out, data.pending(), data.parked());
            } else {
                printOpen(out, data.open());
            }
        }
        out.flush();
        return 0;
    }

    /** One incident as a JSON line (the documented fields, in this order). */
    static void writeJson(JsonGenerator g, PrintWriter out, IncidentRecord r) throws IOException {
        g.writeStartObject();
        g.writeStringField("number", r.number());
        g.writeStringField("kind", r.kind().name());
        g.writeStringField("job", r.job().id());
        g.writeStringField("state", r.state().name());
        g.writeStringField("openedAt", r.openedAt().toString());
        g.writeStringField("updatedAt", r.updatedAt().toString());
        g.writeNumberField("runs", r.consecutiveFailures());
        g.writeStringField("sysId", r.sysId());
        g.writeEndObject();
        g.flush();
        out.println();
    }

    /** One outbox entry as a JSON line (the documented fields, in this order). */
    static void writeJson(JsonGenerator g, PrintWriter out, OutboxEntry e) throws IOException {
        g.writeStartObject();
        g.writeStringField("action", e.action().type());
        g.writeStringField("correlationId", e.correlationId());
        g.writeStringField("status", e.status().name());
        g.writeNumberField("attempts", e.attempts());
        g.writeStringField("lastError", e.lastError());
        g.writeEndObject();
        g.flush();
        out.println();
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
            out.printf("%-7s %-8s %-60s attempts %d, next %s%s%n", e.status() == OutboxEntry.Status.SENDING
                            ? "sending" : "pending", e.action().getClass().getSimpleName(),
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
            try (io.jobwatch.core.incident.Incidents data = options.openIncidents(clock)) {
                IncidentSender sender = IncidentSender.of(data, parent.root.env, options.dataDir(), clock);
                DrainReport r = sender.drain(timeout);
                out.printf("%s; %s%n", IncidentSender.describe(r), sender.target());
                return r.pending() > 0 ? 1 : 0;
            }
        }
    }
}
