package io.jobwatch.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.SlaCheck;
import io.jobwatch.core.sla.SlaEngine;
import io.jobwatch.core.store.RunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch sla check}: the SLA breaches that hold now (or at --at), from the store and the catalog. */
@Command(name = "sla", mixinStandardHelpOptions = true,
        description = "SLA checks: jobs that are late, never started, or run too long (or suspiciously short).",
        subcommands = {SlaCommand.Check.class})
final class SlaCommand implements Runnable {
    @ParentCommand
    Jobwatch root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Print the SLA breaches that hold at --at (default: now), checked against the catalog's"
                + " expectations and the runs in the store.",
                "--format json prints one object per breach per line: jobName, source, account, kind (MISSING, LATE,"
                    + " LONG_RUNNING, TOO_SHORT), expectedAt, detectedAt, detail, then region, confidence (HIGH or LOW ="
                    + " learned) and runId (null for MISSING)."})
    static final class Check implements Callable<Integer> {
        enum Format { table, json }

        @ParentCommand
        SlaCommand parent;

        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--at", paramLabel = "ISO-TIME",
                description = "Evaluate at this instant, e.g. 2026-03-03T08:00:00Z (default: now).")
        String at;

        @Option(names = "--config", paramLabel = "FILE",
                description = "Catalog (default: ./jobwatch.yml, else the built-in example).")
        String config;

        @Option(names = "--format", defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
        Format format;

        @Override
        public Integer call() {
            PrintWriter out = parent.root.spec.commandLine().getOut();
            PrintWriter err = parent.root.spec.commandLine().getErr();
            Instant now;
            try {
                now = at == null ? Clock.systemUTC().instant() : Instant.parse(at);
            } catch (DateTimeParseException e) {
                err.println("--at " + at + ": expected an ISO-8601 instant such as 2026-03-03T08:00:00Z");
                return 2;
            }
            CatalogFiles.Found found = CatalogFiles.loadOrReport(config, err);
            if (found == null) {
                return 2;
            }
            // The store reads as of the evaluation time too, so runs expired by then are not seen.
            Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(now, ZoneOffset.UTC);
            List<Breach> breaches;
            try (RunStore store = storeOptions.open(clock)) {
                breaches = new SlaCheck(found.catalog(), store, new SlaEngine()).evaluate(now);
            }
            if (format == Format.json) {
                printJson(out, breaches);
            } else {
                printTable(out, breaches, found.catalog(), now);
            }
            out.flush();
            return 0;
        }
    }

    static void printTable(PrintWriter out, List<Breach> breaches, Catalog catalog, Instant now) {
        out.printf("SLA check at %s: %d breach(es)%n", now, breaches.size());
        if (breaches.isEmpty()) {
            return;
        }
        out.printf("%-12s %-4s %-21s %-10s %-" + SourcesCommand.ID_WIDTH + "s %-36s %s%n", "kind", "conf", "expectedAt", "system", "source", "job",
                "detail");
        for (Breach b : breaches) {
            out.printf("%-12s %-4s %-21s %-10s %-" + SourcesCommand.ID_WIDTH + "s %-36s %s%n", b.kind(), b.confidence(), b.expectedAt(),
                    catalog.systemOf(b.job().account()).orElse(b.job().account()), b.job().source().id(),
                    b.job().jobName(), b.detail());
        }
    }

    static void printJson(PrintWriter out, List<Breach> breaches) {
        try {
            JsonGenerator g = new ObjectMapper().getFactory().createGenerator(out)
                    .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            g.setRootValueSeparator(null);
            for (Breach b : breaches) {
                g.writeStartObject();
                g.writeStringField("jobName", b.job().jobName());
                g.writeStringField("source", b.job().source().id());
                g.writeStringField("account", b.job().account());
                g.writeStringField("kind", b.kind().name());
                g.writeStringField("expectedAt", b.expectedAt().toString());
                g.writeStringField("detectedAt", b.detectedAt().toString());
                g.writeStringField("detail", b.detail());
                g.writeStringField("region", b.job().region());
                g.writeStringField("confidence", b.confidence().name());
                g.writeStringField("runId", b.runId());
                g.writeEndObject();
                g.flush();
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
