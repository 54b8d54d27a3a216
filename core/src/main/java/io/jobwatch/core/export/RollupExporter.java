package io.jobwatch.core.export;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.store.DailyRollup;
import io.jobwatch.core.store.JobDay;
import io.jobwatch.core.store.RollupRecords.ChangedDay;
import io.jobwatch.core.store.Rollups;
import io.jobwatch.core.trend.TrendGrouping;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;

/**
 * Writes the daily rollups beside the runs for Athena/Power BI: one gzip CSV per UTC day,
 * {@code rollups/dt=YYYY-MM-DD/rollups.csv.gz}, one row per job with anything that day ({@link #COLUMNS}). Before
 * writing it runs the rollups' daily pass (so the export is what keeps them written), and it writes again every day
 * whose rollup changed since it was written (a late event for a past day), then forgets those notes.
 *
 * <p>{@code durations} lists the day's succeeded runs' whole seconds (ascending, {@code ;}-separated) so a view can
 * compute exact percentiles over any span (a week's p95 is not a mean of daily p95s).
 */
public final class RollupExporter {
    /** The CSV header, in order (Athena's table declares these). */
    public static final List<String> COLUMNS = List.of("day", "source", "account", "region", "job_name", "system", "team",
            "runs", "succeeded", "failed", "timed_out", "stopped", "p50_seconds", "p95_seconds", "max_seconds", "durations",
            "incident_minutes", "incidents_resolved", "resolved_minutes");

    private final Rollups rollups;
    private final Catalog catalog;
    private final ExportDestination destination;

    /** @param catalog systems and teams (null: the account as system, the unowned team) */
    public RollupExporter(Rollups rollups, Catalog catalog, ExportDestination destination) {
        this.rollups = Objects.requireNonNull(rollups, "rollups");
        this.catalog = catalog;
        this.destination = Objects.requireNonNull(destination, "destination");
    }

    /** What an export wrote. */
    public record Result(List<LocalDate> days, long rows, Rollups.Pass pass) {
        public Result {
            days = List.copyOf(days);
        }
    }

    /** {@code rollups/dt=2026-11-16/rollups.csv.gz}. */
    public static String objectKey(LocalDate day) {
        return "rollups/dt=" + day + "/rollups.csv.gz";
    }

    /** Runs the daily pass, then writes {@code days} and every day changed since it was written. */
    public Result export(List<LocalDate> days) throws IOException {
        Rollups.Pass pass = rollups.materialize();
        List<ChangedDay> changed = rollups.changedDays();
        TreeSet<LocalDate> all = new TreeSet<>(days);
        changed.forEach(c -> all.add(c.day()));
        long rows = 0;
        for (LocalDate d : all) {
            rows += writeDay(d);
        }
        for (ChangedDay c : changed) {
            rollups.exported(c);
        }
        return new Result(new ArrayList<>(all), rows, pass);
    }

    private long writeDay(LocalDate day) throws IOException {
        long[] rows = {0};
        try (ExportDestination.PendingObject o = destination.open(objectKey(day))) {
            GZIPOutputStream gz = new GZIPOutputStream(o.stream(), 64 * 1024);
            write(gz, String.join(",", COLUMNS));
            IOException[] failed = {null};
            rollups.days(day, day, null, d -> {
                if (failed[0] == null) {
                    try {
                        write(gz, line(d));
                        rows[0]++;
                    } catch (IOException e) {
                        failed[0] = e;
                    }
                }
            });
            if (failed[0] != null) {
                throw failed[0];
            }
            gz.finish();
            gz.flush();
            o.commit();
        }
        return rows[0];
    }

    private String line(JobDay d) {
        DailyRollup r = d.rollup();
        StringBuilder b = new StringBuilder(256);
        field(b, d.day().toString());
        field(b, d.job().source().id());
        field(b, d.job().account());
        field(b, d.job().region());
        field(b, d.job().jobName());
        field(b, TrendGrouping.SYSTEM.groupOf(d.job(), catalog));
        field(b, TrendGrouping.TEAM.groupOf(d.job(), catalog));
        for (long v : new long[] {r.runs(), r.succeeded(), r.failed(), r.timedOut(), r.stopped()}) {
            field(b, Long.toString(v));
        }
        field(b, r.p50() == null ? "" : r.p50().toString());
        field(b, r.p95() == null ? "" : r.p95().toString());
        field(b, r.max() == null ? "" : r.max().toString());
        StringBuilder durations = new StringBuilder();
        for (Long s : r.durations()) {
            durations.append(durations.length() == 0 ? "" : ";").append(s);
        }
        field(b, durations.toString());
        field(b, Long.toString(r.incidentMinutes()));
        field(b, Long.toString(r.incidentsResolved()));
        CsvRunWriter.appendField(b, Long.toString(r.resolvedMinutes()));
        return b.toString();
    }

    private static void field(StringBuilder b, String v) {
        CsvRunWriter.appendField(b, v);
        b.append(',');
    }

    private static void write(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
}
