package io.jobwatch.cli.export;

import io.jobwatch.local.export.DirectoryExportDestination;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.ExportRow;
import io.jobwatch.core.export.Manifest;
import io.jobwatch.core.export.WeeklyExporter;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads the export back with a real query engine (DuckDB), as an analyst's tool would. */
class DuckDbReadBackTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-09T02:00:00Z"), ZoneOffset.UTC);

    private static String csvGlob(Path dir) {
        return dir.resolve("runs").toString().replace("'", "''") + "/*/*.csv.gz";
    }

    @Test
    void simulatedWeek_readsBackWithTheSameCountsStatesAndDurations(@TempDir Path dir) throws Exception {
        ExportPlan plan = ExportPlan.week("2026-W10");
        Path db = io.jobwatch.cli.SimulatedStore.create(dir.resolve("jobwatch.db"), plan.days().get(0), 7);
        try (io.jobwatch.store.sqlite.SqliteRunStore store = new io.jobwatch.store.sqlite.SqliteRunStore(db,
                Clock.systemUTC(), io.jobwatch.cli.SimulatedStore.FOREVER)) {
            check(dir.resolve("out"), plan, new io.jobwatch.core.export.StoreExportSource(store, null, null));
        }
    }

    private void check(Path dir, ExportPlan plan, io.jobwatch.core.export.ExportSource source) throws Exception {
        Manifest m = new WeeklyExporter(source, new DirectoryExportDestination(dir), CLOCK, 3).export(plan);

        long rows = 0;
        long durations = 0;
        Map<RunState, Long> states = new EnumMap<>(RunState.class);
        Map<String, Long> perDay = new HashMap<>();
        for (LocalDate day : plan.days()) {
            List<ExportRow> of = new ArrayList<>();
            source.rowsOfDay(day, of::add);
            rows += of.size();
            perDay.put(day.toString(), (long) of.size());
            for (ExportRow r : of) {
                states.merge(r.state(), 1L, Long::sum);
                durations += r.durationSeconds() == null ? 0 : r.durationSeconds();
            }
        }
        assertThat(rows).isGreaterThan(5000).isEqualTo(m.rows());

        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            String from = "read_csv_auto('" + csvGlob(dir) + "', hive_partitioning = true)";
            try (ResultSet rs = st.executeQuery("SELECT count(*), sum(duration_s), count(DISTINCT run_id) FROM " + from)) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(rows);
                assertThat(rs.getLong(2)).isEqualTo(durations).isEqualTo(m.durationSecondsSum());
                assertThat(rs.getLong(3)).isEqualTo(rows);
            }
            Map<RunState, Long> read = new EnumMap<>(RunState.class);
            try (ResultSet rs = st.executeQuery("SELECT state, count(*) FROM " + from + " GROUP BY state")) {
                while (rs.next()) {
                    read.put(RunState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            assertThat(read).isEqualTo(states);
            Map<String, Long> days = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT CAST(dt AS VARCHAR), count(*) FROM " + from + " GROUP BY dt")) {
                while (rs.next()) {
                    days.put(rs.getString(1), rs.getLong(2));
                }
            }
            assertThat(days).isEqualTo(perDay);
            try (ResultSet rs = st.executeQuery("SELECT typeof(started_at), typeof(duration_s) FROM " + from + " LIMIT 1")) {
                rs.next();
                assertThat(rs.getString(1)).startsWith("TIMESTAMP");
                assertThat(rs.getString(2)).isIn("BIGINT", "INTEGER");
            }
        }
    }

    @Test
    void edgeCases_surviveTheRoundTrip_lineBreaksAsBackslashN(@TempDir Path dir) throws Exception {
        Map<String, String> errors = new HashMap<>();
        errors.put("comma", "Access denied, bucket acme-raw");
        errors.put("quotes", "Column \"amount\" is \"NaN\"");
        errors.put("json", "{\"errorMessage\":\"say \\\"hi\\\"\",\"errorType\":\"X\"}");
        errors.put("backslash", "C:\\temp\\new file");
        errors.put("unicode", "Überlauf – 失败 – ошибка 🚨🔥");
        errors.put("empty", "");
        errors.put("null", null);
        errors.put("crlf", "line one\r\nline two\nline three\rend");
        errors.put("leading-space", "  padded  ");
        LocalDate day = LocalDate.of(2026, 3, 2);
        Instant t = Instant.parse("2026-03-02T10:00:00.123Z");
        new WeeklyExporter((d, sink) -> errors.forEach((id, error) -> sink.accept(new ExportRow(id, JobSource.GLUE_JOB,
                "123456789012", "ERP, \"core\"", "eu-west-1", "job,with \"odd\" name ✓", "", null, RunState.FAILED,
                "FAILED", t, t.plusSeconds(5), 5L, error, null, 1, t, t))), new DirectoryExportDestination(dir), CLOCK, 1)
                .export(ExportPlan.days(day, day));

        Map<String, String> read = new HashMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement();
             ResultSet rs = st.executeQuery("SELECT run_id, error, system, job_name, team, criticality, started_at FROM"
                     + " read_csv('" + csvGlob(dir) + "', header = true, hive_partitioning = true, all_varchar = true,"
                     + " quote = '\"', escape = '\"', allow_quoted_nulls = false)")) {
            while (rs.next()) {
                read.put(rs.getString(1), rs.getString(2));
                assertThat(rs.getString(3)).isEqualTo("ERP, \"core\"");
                assertThat(rs.getString(4)).isEqualTo("job,with \"odd\" name ✓");
                assertThat(rs.getString(5)).isEqualTo("");
                assertThat(rs.getString(6)).isNull();
                assertThat(rs.getString(7)).isEqualTo("2026-03-02T10:00:00.123Z");
            }
        }
        Map<String, String> expected = new HashMap<>(errors);
        expected.put("crlf", "line one\\nline two\\nline three\\nend");
        assertThat(read).isEqualTo(expected);
    }
}
