package io.jobwatch.cli.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.cli.SimulatedStore;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.export.AthenaDdl;
import io.jobwatch.core.export.RollupExporter;
import io.jobwatch.core.store.DailyRollup;
import io.jobwatch.core.store.JobDay;
import io.jobwatch.core.trend.TrendGrouping;
import io.jobwatch.core.trend.TrendRow;
import io.jobwatch.core.trend.Trends;
import io.jobwatch.local.export.DirectoryExportDestination;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exported rollups read back by a real query engine (DuckDB) through the very views {@code export --ddl} prints:
 * over a simulated month they give the same numbers as {@code jobwatch trends} (core's {@link Trends}). DuckDB and
 * Athena differ in a few function names; the test maps them (see {@link #duckDb}) and pins Athena's
 * {@code current_date} to the day after the month.
 */
class RollupsDuckDbTest {
    static final LocalDate FIRST = LocalDate.of(2026, 2, 2);
    static final int DAYS = 28;
    static final LocalDate LAST = FIRST.plusDays(DAYS - 1);

    /** Athena (Trino) → DuckDB: list functions by their DuckDB names; "today" is the day after the month. */
    static String duckDb(String athena) {
        return athena.replace("transform(", "list_transform(").replace("element_at(", "list_extract(")
                .replace("cardinality(", "len(").replace("current_date", "DATE '" + LAST.plusDays(1) + "'");
    }

    @Test
    void exportedMonth_throughTheAthenaViews_givesTheNumbersOfTrends(@TempDir Path dir) throws Exception {
        Catalog catalog = ((CatalogResult.Loaded) CatalogLoader.load("examples/jobwatch.yml",
                Files.readString(io.jobwatch.core.store.StoreFixtures.repo().resolve("examples/jobwatch.yml")))).catalog();
        Path db = SimulatedStore.create(dir.resolve("jobwatch.db"), FIRST, DAYS);
        List<JobDay> days;
        RollupExporter.Result result;
        Trends trends; // over days already read: its sums need no store
        try (SqliteRunStore store = new SqliteRunStore(db, Clock.systemUTC(), SimulatedStore.FOREVER)) {
            result = new RollupExporter(store.rollups(), catalog, new DirectoryExportDestination(dir.resolve("out")))
                    .export(FIRST.datesUntil(LAST.plusDays(1)).toList());
            trends = new Trends(store.rollups(), catalog);
            days = trends.jobDays(FIRST, LAST, Trends.Filter.ALL);
        }
        assertThat(result.days()).contains(FIRST, LAST);
        assertThat(result.rows()).isEqualTo(days.size()).isGreaterThan(DAYS * 400L);

        String glob = dir.resolve("out/rollups").toString().replace("'", "''") + "/*/*.csv.gz";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement st = c.createStatement()) {
            st.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'"); // Athena's lambdas are x -> …
            st.execute("CREATE SCHEMA jobwatch");
            // What Athena's OpenCSVSerde table gives: every column a string, dt from the partition path.
            st.execute("CREATE VIEW jobwatch.runs_rollups AS SELECT * FROM read_csv('" + glob + "', header = true,"
                    + " hive_partitioning = true, all_varchar = true, quote = '\"', escape = '\"')");
            for (String view : AthenaDdl.createRollupViews("jobwatch", "runs")) {
                st.execute(duckDb(view));
            }

            // Success rate by system and day: every (day, system) row of trends --by system.
            List<TrendRow> rows = trends.rows(days, FIRST, LAST, TrendGrouping.SYSTEM);
            Map<String, Double> read = new HashMap<>();
            Map<String, Long> runs = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT CAST(day AS VARCHAR), system, success_rate, runs FROM"
                    + " jobwatch.runs_rollups_success_by_system_day")) {
                while (rs.next()) {
                    double v = rs.getDouble(3);
                    read.put(rs.getString(1) + "/" + rs.getString(2), rs.wasNull() ? null : v);
                    runs.put(rs.getString(1) + "/" + rs.getString(2), rs.getLong(4));
                }
            }
            assertThat(read).hasSize(rows.size());
            for (TrendRow r : rows) {
                String k = r.day() + "/" + r.group();
                assertThat(runs.get(k)).as(k).isEqualTo(r.runs());
                assertThat(read.get(k)).as(k).isCloseTo(r.successRate(), org.assertj.core.data.Offset.offset(1e-12));
            }

            // p95 duration by job and week: nearest rank over the week's succeeded runs, as DailyRollup computes it.
            Map<String, DailyRollup> weeks = new TreeMap<>();
            for (JobDay d : days) {
                LocalDate monday = d.day().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                weeks.merge(monday + "/" + d.job().id(), d.rollup(), DailyRollup::plus);
            }
            weeks.values().removeIf(r -> r.p95() == null);
            Map<String, Long> p95 = new TreeMap<>();
            try (ResultSet rs = st.executeQuery("SELECT CAST(CAST(week AS DATE) AS VARCHAR), source, account, region,"
                    + " job_name, p95_seconds FROM jobwatch.runs_rollups_p95_by_job_week")) {
                while (rs.next()) {
                    p95.put(rs.getString(1) + "/" + rs.getString(2) + ":" + rs.getString(3) + ":" + rs.getString(4) + ":"
                            + rs.getString(5), rs.getLong(6));
                }
            }
            Map<String, Long> expected = new TreeMap<>();
            weeks.forEach((k, r) -> expected.put(k, r.p95()));
            assertThat(p95).isEqualTo(expected).hasSizeGreaterThan(100);

            // The jobs that failed most over the last 30 days (the whole month here) and time to resolve by team.
            Trends.JobTotal worst = trends.mostFailing(days, 1).get(0);
            try (ResultSet rs = st.executeQuery("SELECT job_name, failures FROM jobwatch.runs_rollups_top_failing_30d"
                    + " ORDER BY failures DESC, source || ':' || account || ':' || region || ':' || job_name LIMIT 1")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(worst.job().jobName());
                assertThat(rs.getLong(2)).isEqualTo(worst.total().failures());
            }
            Map<String, Long> teamMinutes = new TreeMap<>();
            try (ResultSet rs = st.executeQuery("SELECT team, SUM(incident_minutes) FROM jobwatch.runs_rollups_mttr_by_team_week"
                    + " GROUP BY team")) {
                while (rs.next()) {
                    teamMinutes.put(rs.getString(1), rs.getLong(2));
                }
            }
            Map<String, Long> expectedMinutes = new TreeMap<>();
            trends.byTeam(days).forEach((team, r) -> expectedMinutes.put(team, r.incidentMinutes()));
            assertThat(teamMinutes).isEqualTo(expectedMinutes);
        }
    }
}
