package io.jobwatch.sim;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The demo's jobs outside AWS, as the requests they send to Jobwatch's HTTP endpoints, in time order:
 * <ul>
 * <li>three pinged jobs, Healthchecks-style: {@code erp-ops/sftp-orders-pull} (start, then success with its log; its
 * partner's SFTP host times out on the last two days: exit status 255), {@code finance-close/bank-statements-import}
 * (a success per day with a rid; the last day's never comes: MISSING) and {@code data-platform/pg-nightly-backup}
 * (start, then {@code /0} with the backup's size);</li>
 * <li>an Airflow DAG, {@code airflow-prod/etl_daily}, reporting through the OpenLineage provider: the DAG run and its
 * three tasks (extract, transform, load), each a START and a COMPLETE with the DAG run as {@code parent}; on the
 * second-to-last day the load task fails with a Python traceback ({@code errorMessage}) and so does the DAG run.</li>
 * </ul>
 * Pings name their team's key as a placeholder ({@code {key:TEAM}}); the caller puts the key in. Deterministic for a
 * seed. The OpenLineage events are shaped as the Airflow provider sends them (producer, schemaURL, facets with
 * {@code _producer} and {@code _schemaURL}).
 */
public final class OutsideAws {
    /** The teams whose ping keys the requests use. */
    public static final List<String> PING_TEAMS = List.of("erp-ops", "finance-close", "data-platform");
    static final String PRODUCER = "https://github.com/apache/airflow/tree/providers-openlineage/1.14.0";
    static final String SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    static final List<String> TASKS = List.of("extract_orders", "transform_orders", "load_orders");

    /**
     * One request to an endpoint at a simulated time.
     *
     * @param at   when it is sent
     * @param team for a ping, the team whose key goes in the path ({@code {key}}); null for OpenLineage
     * @param path the path, e.g. {@code /ping/{key}/sftp-orders-pull/start} or {@code /api/v1/lineage}
     * @param query the query string, or ""
     * @param body  the body, or ""
     */
    public record Request(Instant at, String method, String team, String path, String query, String body) {
        public boolean lineage() {
            return team == null;
        }
    }

    private OutsideAws() {
    }

    /** The requests of {@code days} days ending with {@code lastDay} (UTC), in time order. */
    public static List<Request> requests(LocalDate firstDay, int days, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5EED_0A75L);
        List<Request> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            LocalDate day = firstDay.plusDays(d);
            boolean last = d == days - 1;
            boolean secondToLast = d == days - 2;
            Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
            // erp-ops: the partner's SFTP pull, 02:00 UTC, ~4 minutes.
            Instant s = at(midnight, LocalTime.of(2, 0), rnd);
            out.add(new Request(s, "GET", "erp-ops", "/ping/{key}/sftp-orders-pull/start", "", ""));
            if (last || secondToLast) {
                out.add(new Request(s.plusSeconds(75), "POST", "erp-ops", "/ping/{key}/sftp-orders-pull/255", "",
                        "ssh: connect to host sftp.partner.example port 22: Connection timed out\n"
                                + "rsync: connection unexpectedly closed (0 bytes received so far) [Receiver]\n"));
            } else {
                int files = 2 + rnd.nextInt(4);
                out.add(new Request(s.plusSeconds(180 + rnd.nextInt(120)), "POST", "erp-ops",
                        "/ping/{key}/sftp-orders-pull", "", "received " + files + " files (" + (files * 37 + rnd.nextInt(30))
                                + " MB) from sftp.partner.example:/outbound/orders\n"));
            }
            // finance-close: the bank statements import, 06:15 UTC, one ping per run with its rid.
            if (!last) {
                out.add(new Request(at(midnight, LocalTime.of(6, 15), rnd), "GET", "finance-close",
                        "/ping/{key}/bank-statements-import", "rid=" + uuid(rnd), ""));
            }
            // data-platform: the PostgreSQL backup, 01:30 UTC, ~20 minutes.
            Instant b = at(midnight, LocalTime.of(1, 30), rnd);
            out.add(new Request(b, "GET", "data-platform", "/ping/{key}/pg-nightly-backup/start", "", ""));
            out.add(new Request(b.plusSeconds(1100 + rnd.nextInt(300)), "POST", "data-platform",
                    "/ping/{key}/pg-nightly-backup/0", "", "pg_dump: wrote " + (14 + rnd.nextInt(3)) + "."
                            + rnd.nextInt(10) + " GB to s3://backups/pg/" + day + ".dump\n"));
            dag(out, day, midnight, secondToLast, rnd);
        }
        out.sort(Comparator.comparing(Request::at));
        return out;
    }

    /** The DAG run and its three tasks, as OpenLineage events (one request per event, as the provider sends them). */
    private static void dag(List<Request> out, LocalDate day, Instant midnight, boolean fails, SplittableRandom rnd) {
        String dagRun = uuid(rnd);
        Instant t = at(midnight, LocalTime.of(3, 0), rnd);
        out.add(lineage(t, "START", "etl_daily", dagRun, null, null, day));
        for (String task : TASKS) {
            String run = uuid(rnd);
            Instant start = t.plusSeconds(5 + rnd.nextInt(20));
            Instant end = start.plusSeconds(60 + rnd.nextInt(240));
            out.add(lineage(start, "START", "etl_daily." + task, run, dagRun, null, day));
            boolean failed = fails && task.equals("load_orders");
            out.add(lineage(end, failed ? "FAIL" : "COMPLETE", "etl_daily." + task, run, dagRun,
                    failed ? "psycopg2.errors.UniqueViolation: duplicate key value violates unique constraint"
                            + " \"orders_pkey\"\nDETAIL:  Key (order_id)=(884213) already exists." : null, day));
            t = end;
            if (failed) {
                out.add(lineage(t.plusSeconds(2), "FAIL", "etl_daily", dagRun, null,
                        "task load_orders failed", day));
                return;
            }
        }
        out.add(lineage(t.plusSeconds(2), "COMPLETE", "etl_daily", dagRun, null, null, day));
    }

    private static Request lineage(Instant at, String type, String job, String runId, String parentRun, String error,
                                   LocalDate day) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode e = f.objectNode();
        e.put("eventType", type);
        e.put("eventTime", at.toString());
        ObjectNode run = e.putObject("run");
        run.put("runId", runId);
        ObjectNode facets = run.putObject("facets");
        ObjectNode nominal = facet(facets, "nominalTime", "facets/1-0-1/NominalTimeRunFacet.json");
        nominal.put("nominalStartTime", day.atStartOfDay(ZoneOffset.UTC).plusHours(3).toInstant().toString());
        if (parentRun != null) {
            ObjectNode parent = facet(facets, "parent", "facets/1-2-0/ParentRunFacet.json");
            parent.putObject("run").put("runId", parentRun);
            parent.putObject("job").put("namespace", "airflow-prod").put("name", "etl_daily");
        }
        if (error != null) {
            ObjectNode em = facet(facets, "errorMessage", "facets/1-0-1/ErrorMessageRunFacet.json");
            em.put("message", error.lines().findFirst().orElse(error));
            em.put("programmingLanguage", "python");
            em.put("stackTrace", "Traceback (most recent call last):\n  File \"/opt/airflow/dags/etl_daily.py\", line 88,"
                    + " in load_orders\n    cur.execute(INSERT_ORDERS, rows)\n" + error);
        }
        ObjectNode jobNode = e.putObject("job");
        jobNode.put("namespace", "airflow-prod");
        jobNode.put("name", job);
        ObjectNode jobType = facet(jobNode.putObject("facets"), "jobType", "facets/2-0-3/JobTypeJobFacet.json");
        jobType.put("processingType", "BATCH").put("integration", "AIRFLOW").put("jobType", job.contains(".") ? "TASK"
                : "DAG");
        ArrayNode inputs = e.putArray("inputs");
        ArrayNode outputs = e.putArray("outputs");
        if (job.endsWith("load_orders")) {
            inputs.addObject().put("namespace", "s3://lake-staging").put("name", "orders/" + day);
            outputs.addObject().put("namespace", "postgres://warehouse:5432").put("name", "sales.public.orders");
        }
        e.put("producer", PRODUCER);
        e.put("schemaURL", SCHEMA);
        return new Request(at, "POST", null, "/api/v1/lineage", "", e.toString());
    }

    private static ObjectNode facet(ObjectNode facets, String name, String schema) {
        ObjectNode n = facets.putObject(name);
        n.put("_producer", PRODUCER);
        n.put("_schemaURL", "https://openlineage.io/spec/" + schema);
        return n;
    }

    private static Instant at(Instant midnight, LocalTime time, SplittableRandom rnd) {
        return midnight.plusSeconds(time.toSecondOfDay() + rnd.nextInt(0, 40)).truncatedTo(ChronoUnit.SECONDS)
                .plusMillis(rnd.nextInt(1000));
    }

    private static String uuid(SplittableRandom rnd) {
        return new UUID(rnd.nextLong() & 0xFFFFFFFFFFFF0FFFL | 0x4000L, rnd.nextLong() & 0x3FFFFFFFFFFFFFFFL
                | 0x8000000000000000L).toString();
    }

    /** The simulated requests' counts, for summaries: pings by team, and OpenLineage events. */
    public static Map<String, Long> counts(List<Request> requests) {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (Request r : requests) {
            out.merge(r.lineage() ? "openlineage" : "ping", 1L, Long::sum);
        }
        return out;
    }

    /** How long after the last simulated day's midnight the last request can come. */
    static final Duration LATEST = Duration.ofHours(7);
}
