package io.jobwatch.core.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.regex.Pattern;

/**
 * The Athena/Glue table over the export: {@code CREATE EXTERNAL TABLE} with partition projection on {@code dt}, so
 * new days are queryable at once (no MSCK REPAIR, no crawler). The CDK stack builds the same table from
 * {@link #serdeParameters()}, {@link #tableParameters(String, String)} and {@link ExportColumns#NAMES}.
 *
 * <p>SerDe choice: OpenCSVSerde, because it honours RFC 4180 quotes (error messages hold commas and quotes;
 * LazySimpleSerDe would split them). Its trade-offs, documented by Athena: every column is declared {@code string}
 * (it cannot read an empty field as a NULL number or parse ISO-8601 timestamps), hence the typed view
 * ({@link #createTypedView}); and no line breaks inside fields (hence {@link CsvRunWriter} writes them as
 * {@code \n}). Its escape character is set to U+0001, which the writer never emits: with the default backslash,
 * Athena would drop backslashes from error messages and misread a {@code \"} inside a value.
 */
public final class AthenaDdl {
    private AthenaDdl() {
    }

    public static final String SERDE = "org.apache.hadoop.hive.serde2.OpenCSVSerde";
    public static final String INPUT_FORMAT = "org.apache.hadoop.mapred.TextInputFormat";
    public static final String OUTPUT_FORMAT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";
    /** OpenCSVSerde's escape character; {@link CsvRunWriter} never writes it. */
    public static final char ESCAPE_CHAR = '\u0001';
    /** First day partition projection offers; older days hold no data. */
    public static final String PROJECTION_START = "2025-01-01";

    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,255}");
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9!_.*()/=-]*");

    /** SerDe parameters (as the Glue API takes them, with the real U+0001 character). */
    public static Map<String, String> serdeParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("separatorChar", ",");
        p.put("quoteChar", "\"");
        p.put("escapeChar", String.valueOf(ESCAPE_CHAR));
        return p;
    }

    /** Table parameters: header skipped, partition projection on dt, location template under {@code runs/}. */
    public static Map<String, String> tableParameters(String bucket, String prefix) {
        return tableParameters(location(bucket, prefix));
    }

    /** As above, for the table whose LOCATION is {@code location} (runs/ or rollups/). */
    static Map<String, String> tableParameters(String location) {
        String runs = location;
        Map<String, String> p = new LinkedHashMap<>();
        p.put("skip.header.line.count", "1");
        p.put("projection.enabled", "true");
        p.put("projection.dt.type", "date");
        p.put("projection.dt.range", PROJECTION_START + ",NOW");
        p.put("projection.dt.format", "yyyy-MM-dd");
        p.put("projection.dt.interval", "1");
        p.put("projection.dt.interval.unit", "DAYS");
        p.put("storage.location.template", runs + ExportColumns.PARTITION + "=${dt}/");
        return p;
    }

    /** The table's LOCATION: {@code s3://bucket/prefix/runs/}. */
    public static String location(String bucket, String prefix) {
        if (bucket == null || !BUCKET.matcher(bucket).matches()) {
            throw new IllegalArgumentException("not an S3 bucket name: '" + bucket
                    + "' (3-63 characters: lower-case letters, digits, '.', '-')");
        }
        return "s3://" + bucket + "/" + normalizePrefix(prefix) + "runs/";
    }

    /** {@code ""} or a prefix ending in '/', without a leading '/'; refuses characters that need quoting. */
    public static String normalizePrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (!PREFIX.matcher(p).matches() || p.contains("//")) {
            throw new IllegalArgumentException("unsupported S3 prefix: '" + prefix
                    + "' (use letters, digits and ! _ . * ( ) / = -, no empty path segments)");
        }
        return p.isEmpty() || p.endsWith("/") ? p : p + "/";
    }

    /** The exact {@code CREATE EXTERNAL TABLE} statement for Athena. */
    public static String createTable(String database, String table, String bucket, String prefix) {
        return createTable(database, table, ExportColumns.NAMES, location(bucket, prefix));
    }

    /**
     * The rollups' table, {@code <table>_rollups} over {@code s3://bucket/prefix/rollups/} (one row per job and UTC day,
     * {@link RollupExporter#COLUMNS}), partition projection on {@code dt} as the runs' table.
     */
    public static String createRollupTable(String database, String table, String bucket, String prefix) {
        location(bucket, prefix); // checks the bucket and prefix
        return createTable(database, table + "_rollups", RollupExporter.COLUMNS,
                "s3://" + bucket + "/" + normalizePrefix(prefix) + "rollups/");
    }

    private static String createTable(String database, String table, List<String> columns, String location) {
        checkName("database", database);
        checkName("table", table);
        StringBuilder sql = new StringBuilder();
        sql.append("CREATE EXTERNAL TABLE IF NOT EXISTS `").append(database).append("`.`").append(table).append("` (\n");
        for (int i = 0; i < columns.size(); i++) {
            sql.append("  `").append(columns.get(i)).append("` string")
                    .append(i + 1 < columns.size() ? ",\n" : "\n");
        }
        sql.append(")\n");
        sql.append("PARTITIONED BY (`").append(ExportColumns.PARTITION).append("` string)\n");
        sql.append("ROW FORMAT SERDE '").append(SERDE).append("'\n");
        sql.append("WITH SERDEPROPERTIES (\n");
        sql.append("  'separatorChar' = ',',\n");
        sql.append("  'quoteChar' = '\"',\n");
        sql.append("  'escapeChar' = '\\001'\n");
        sql.append(")\n");
        sql.append("STORED AS INPUTFORMAT '").append(INPUT_FORMAT).append("'\n");
        sql.append("OUTPUTFORMAT '").append(OUTPUT_FORMAT).append("'\n");
        sql.append("LOCATION '").append(location).append("'\n");
        sql.append("TBLPROPERTIES (\n");
        Map<String, String> props = tableParameters(location);
        int i = 0;
        for (Map.Entry<String, String> e : props.entrySet()) {
            sql.append("  '").append(e.getKey()).append("' = '").append(e.getValue()).append('\'')
                    .append(++i < props.size() ? ",\n" : "\n");
        }
        sql.append(");\n");
        return sql.toString();
    }

    /**
     * A view with SQL types over the all-string table: NULLs for empty fields, timestamps parsed from ISO-8601,
     * numbers cast. {@code dt} stays a string so filters on it still prune partitions. Name: {@code <table>_typed}.
     */
    public static String createTypedView(String database, String table) {
        checkName("database", database);
        checkName("table", table);
        return "CREATE OR REPLACE VIEW \"" + database + "\".\"" + table + "_typed\" AS\n"
                + "SELECT\n"
                + "  run_id,\n"
                + "  source,\n"
                + "  account,\n"
                + "  NULLIF(system, '') AS system,\n"
                + "  region,\n"
                + "  job_name,\n"
                + "  NULLIF(team, '') AS team,\n"
                + "  NULLIF(criticality, '') AS criticality,\n"
                + "  state,\n"
                + "  source_state,\n"
                + "  from_iso8601_timestamp(NULLIF(started_at, '')) AS started_at,\n"
                + "  from_iso8601_timestamp(NULLIF(ended_at, '')) AS ended_at,\n"
                + "  CAST(NULLIF(duration_s, '') AS bigint) AS duration_s,\n"
                + "  NULLIF(error, '') AS error,\n"
                + "  NULLIF(incident_number, '') AS incident_number,\n"
                + "  CAST(event_count AS integer) AS event_count,\n"
                + "  from_iso8601_timestamp(NULLIF(first_seen, '')) AS first_seen,\n"
                + "  from_iso8601_timestamp(NULLIF(last_updated, '')) AS last_updated,\n"
                + "  CAST(NULLIF(attempt, '') AS integer) AS attempt,\n"
                + "  NULLIF(warning, '') AS warning,\n"
                + "  NULLIF(raw_job_name, '') AS raw_job_name,\n"
                + "  dt\n"
                + "FROM \"" + database + "\".\"" + table + "\";\n";
    }

    private static void checkName(String what, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not an Athena " + what + " name: '" + name
                    + "' (lower-case letters, digits and '_')");
        }
    }

    /**
     * The rollups' views: {@code <table>_rollups_typed} (numbers cast, {@code day} a date, {@code durations} an array of
     * seconds) and, over it, success rate by system and day, the jobs that failed most over the last 30 days, p95
     * duration by job and week (exact: nearest rank over the week's succeeded runs, as {@code jobwatch trends}), and time
     * to resolve incidents by team and week. The success rate is {@code succeeded / (runs - stopped)}, NULL when no run
     * finished — the same definition as {@code jobwatch trends}.
     */
    public static List<String> createRollupViews(String database, String table) {
        checkName("database", database);
        checkName("table", table);
        String q = "\"" + database + "\".\"" + table + "_rollups";
        String typed = q + "_typed\"";
        List<String> out = new ArrayList<>();
        out.add("CREATE OR REPLACE VIEW " + typed + " AS\n"
                + "SELECT\n"
                + "  CAST(day AS date) AS day,\n"
                + "  source,\n"
                + "  account,\n"
                + "  region,\n"
                + "  job_name,\n"
                + "  NULLIF(system, '') AS system,\n"
                + "  NULLIF(team, '') AS team,\n"
                + "  CAST(runs AS bigint) AS runs,\n"
                + "  CAST(succeeded AS bigint) AS succeeded,\n"
                + "  CAST(failed AS bigint) AS failed,\n"
                + "  CAST(timed_out AS bigint) AS timed_out,\n"
                + "  CAST(stopped AS bigint) AS stopped,\n"
                + "  CAST(NULLIF(p50_seconds, '') AS bigint) AS p50_seconds,\n"
                + "  CAST(NULLIF(p95_seconds, '') AS bigint) AS p95_seconds,\n"
                + "  CAST(NULLIF(max_seconds, '') AS bigint) AS max_seconds,\n"
                + "  transform(filter(split(durations, ';'), x -> x <> ''), x -> CAST(x AS bigint)) AS durations,\n"
                + "  CAST(incident_minutes AS bigint) AS incident_minutes,\n"
                + "  CAST(incidents_resolved AS bigint) AS incidents_resolved,\n"
                + "  CAST(resolved_minutes AS bigint) AS resolved_minutes,\n"
                + "  dt\n"
                + "FROM \"" + database + "\".\"" + table + "_rollups\";\n");
        out.add("CREATE OR REPLACE VIEW " + q + "_success_by_system_day\" AS\n"
                + "SELECT day, system, SUM(runs) AS runs, SUM(succeeded) AS succeeded, SUM(failed) AS failed,\n"
                + "  SUM(timed_out) AS timed_out, SUM(stopped) AS stopped,\n"
                + "  CAST(SUM(succeeded) AS double) / NULLIF(SUM(runs) - SUM(stopped), 0) AS success_rate,\n"
                + "  SUM(incident_minutes) AS incident_minutes\n"
                + "FROM " + typed + "\n"
                + "GROUP BY day, system;\n");
        out.add("CREATE OR REPLACE VIEW " + q + "_top_failing_30d\" AS\n"
                + "SELECT source, account, region, job_name, system, team, SUM(failed + timed_out) AS failures,\n"
                + "  SUM(runs) AS runs,\n"
                + "  CAST(SUM(succeeded) AS double) / NULLIF(SUM(runs) - SUM(stopped), 0) AS success_rate\n"
                + "FROM " + typed + "\n"
                + "WHERE day > current_date - INTERVAL '30' DAY\n"
                + "GROUP BY source, account, region, job_name, system, team\n"
                + "HAVING SUM(failed + timed_out) > 0;\n");
        out.add("CREATE OR REPLACE VIEW " + q + "_p95_by_job_week\" AS\n"
                + "SELECT week, source, account, region, job_name, system, cardinality(d) AS succeeded_with_duration,\n"
                + "  element_at(d, CAST(ceil(0.95 * cardinality(d)) AS integer)) AS p95_seconds,\n"
                + "  element_at(d, CAST(ceil(0.50 * cardinality(d)) AS integer)) AS p50_seconds\n"
                + "FROM (\n"
                + "  SELECT date_trunc('week', day) AS week, source, account, region, job_name, system,\n"
                + "    array_sort(flatten(array_agg(durations))) AS d\n"
                + "  FROM " + typed + "\n"
                + "  GROUP BY date_trunc('week', day), source, account, region, job_name, system\n"
                + ") w\n"
                + "WHERE cardinality(d) > 0;\n");
        out.add("CREATE OR REPLACE VIEW " + q + "_mttr_by_team_week\" AS\n"
                + "SELECT date_trunc('week', day) AS week, team, SUM(incidents_resolved) AS incidents_resolved,\n"
                + "  CAST(SUM(resolved_minutes) AS double) / NULLIF(SUM(incidents_resolved), 0) AS mttr_minutes,\n"
                + "  SUM(incident_minutes) AS incident_minutes\n"
                + "FROM " + typed + "\n"
                + "GROUP BY date_trunc('week', day), team;\n");
        return out;
    }
}
