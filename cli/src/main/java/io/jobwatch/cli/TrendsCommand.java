package io.jobwatch.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.trend.TrendGrouping;
import io.jobwatch.core.trend.TrendRow;
import io.jobwatch.core.trend.Trends;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch trends}: job health per day and group, from the daily rollups. */
@Command(name = "trends", mixinStandardHelpOptions = true,
        description = {"Job health per UTC day and group (system, team or job) from the daily rollups: runs by outcome,"
                + " success rate, p50/p95 duration of the succeeded runs, minutes incidents were open.",
            "--format json prints one object per day and group per line: day, group, runs, succeeded, failed, timedOut,"
                + " stopped, successRate (succeeded / (runs - stopped), null when no run finished), p50Seconds,"
                + " p95Seconds, incidentMinutes."})
final class TrendsCommand implements Callable<Integer> {
    enum Format { table, json }

    @ParentCommand
    Jobwatch root;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--days", paramLabel = "N", defaultValue = "30", description = "Days to show, ending with --to. Default: ${DEFAULT-VALUE}.")
    int days;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last UTC day to show. Default: today.")
    String to;

    @Option(names = "--by", paramLabel = "system|team|job", defaultValue = "system",
            description = "Group by the job's system or team (from the catalog), or by job name. Default: ${DEFAULT-VALUE}.")
    String by;

    @Option(names = "--system", paramLabel = "S", description = "Only jobs of this system.")
    String system;

    @Option(names = "--job", paramLabel = "J", description = "Only this job (its name, or its full id source:account:region:name).")
    String job;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Catalog for systems and teams (default: ./jobwatch.yml, else the built-in example).")
    String config;

    @Option(names = "--format", defaultValue = "table", description = "table or json. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = root.spec.commandLine().getOut();
        PrintWriter err = root.spec.commandLine().getErr();
        if (days < 1 || days > 3660) {
            err.println("--days " + days + ": expected 1 to 3660 days");
            return 2;
        }
        TrendGrouping grouping;
        try {
            grouping = TrendGrouping.parse(by);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            return 2;
        }
        Clock clock = Clock.systemUTC();
        LocalDate last;
        try {
            last = to == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)) : LocalDate.parse(to);
        } catch (DateTimeParseException e) {
            err.println("--to " + to + ": expected a day such as 2026-03-02");
            return 2;
        }
        CatalogFiles.Found found = CatalogFiles.loadOrReport(config, err);
        if (found == null) {
            return 2;
        }
        LocalDate first = last.minusDays(days - 1L);
        List<TrendRow> rows;
        try (RunStore store = storeOptions.open(clock)) {
            rows = new Trends(store.rollups(), found.catalog()).rows(first, last, grouping, new Trends.Filter(system, job));
        }
        if (format == Format.json) {
            printJson(out, rows);
        } else {
            printTable(out, rows, grouping, first, last);
        }
        out.flush();
        return 0;
    }

    static void printJson(PrintWriter out, List<TrendRow> rows) throws IOException {
        JsonGenerator g = new ObjectMapper().getFactory().createGenerator(out)
                .disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
        g.setRootValueSeparator(null);
        for (TrendRow r : rows) {
            g.writeStartObject();
            g.writeStringField("day", r.day().toString());
            g.writeStringField("group", r.group());
            g.writeNumberField("runs", r.runs());
            g.writeNumberField("succeeded", r.succeeded());
            g.writeNumberField("failed", r.failed());
            g.writeNumberField("timedOut", r.timedOut());
            g.writeNumberField("stopped", r.stopped());
            g.writeFieldName("successRate");
            if (r.successRate() == null) {
                g.writeNull();
            } else {
                g.writeNumber(Math.round(r.successRate() * 10_000) / 10_000.0);
            }
            nullableNumber(g, "p50Seconds", r.p50Seconds());
            nullableNumber(g, "p95Seconds", r.p95Seconds());
            g.writeNumberField("incidentMinutes", r.incidentMinutes());
            g.writeEndObject();
            g.flush();
            out.write('\n');
        }
    }

    private static void nullableNumber(JsonGenerator g, String name, Long v) throws IOException {
        g.writeFieldName(name);
        if (v == null) {
            g.writeNull();
        } else {
            g.writeNumber(v);
        }
    }

    static void printTable(PrintWriter out, List<TrendRow> rows, TrendGrouping by, LocalDate first, LocalDate last) {
        int w = Math.min(60, Math.max(by.label().length(), rows.stream().mapToInt(r -> r.group().length()).max().orElse(0)));
        String fmt = "%-10s  %-" + w + "s %6s %9s %6s %8s %7s %7s %6s %6s %8s%n";
        out.printf(fmt, "day", by.label(), "runs", "succeeded", "failed", "timedOut", "stopped", "success", "p50", "p95",
                "incident");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (TrendRow r : rows) {
            series.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r.successRate());
            out.printf(fmt, r.day(), clip(r.group(), w), r.runs(), r.succeeded(), r.failed(), r.timedOut(), r.stopped(),
                    percent(r.successRate()), seconds(r.p50Seconds()), seconds(r.p95Seconds()),
                    r.incidentMinutes() == 0 ? "-" : r.incidentMinutes() + "m");
        }
        if (series.isEmpty()) {
            out.printf("no finished runs or incidents %s .. %s%n", first, last);
            return;
        }
        out.printf("%nsuccess rate per day, %s .. %s (low to high within each line; blank: no run finished):%n", first, last);
        series.forEach((group, values) -> out.printf("  %-" + w + "s %s  %s%n", clip(group, w), Trends.sparkline(values),
                summary(values)));
    }

    /** The first and the last day with a rate, e.g. "98.0% -> 91.5%". */
    private static String summary(List<Double> values) {
        Double a = values.stream().filter(v -> v != null).findFirst().orElse(null);
        Double b = null;
        for (Double v : values) {
            if (v != null) {
                b = v;
            }
        }
        return a == null ? "-" : percent(a) + " -> " + percent(b);
    }

    static String percent(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    static String seconds(Long s) {
        return s == null ? "-" : RunsCommand.human(java.time.Duration.ofSeconds(s));
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
