package io.jobwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.detail.RunDetails;
import io.jobwatch.core.inbound.Inbound;
import io.jobwatch.core.inbound.InboundRequest;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.lineage.LineageEvents;
import io.jobwatch.core.lineage.LineageSchema;
import io.jobwatch.core.ping.PingKeys;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.sim.OutsideAws;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The demo's jobs outside AWS ({@link OutsideAws}): every ping and OpenLineage event goes through the same endpoint
 * logic {@code serve} and the AWS ingest function run (key check, schema validation, run details), at its simulated
 * time, into the demo's store and incident tracker. The demo's ping keys are made up here (the catalog names the
 * variables; a real deployment sets them).
 */
final class DemoOutsideAws {
    private DemoOutsideAws() {
    }

    /** What went in, for the summary line. */
    record Summary(int pings, int lineageEvents, Map<Integer, Integer> statuses) {
    }

    static Summary run(PrintWriter out, Catalog catalog, RunStore store, IngestPipeline pipeline, RunDetails details,
                       LocalDate firstDay, int days, long seed) {
        Map<String, String> keys = new HashMap<>();
        for (String team : OutsideAws.PING_TEAMS) {
            keys.put(catalog.pingKeys().containsKey(team) ? ((io.jobwatch.core.catalog.CredentialsRef.EnvVar)
                    catalog.pingKeys().get(team)).name() : "unused", "demo_" + team.replace('-', '_') + "_ping_key");
        }
        String apiKey = "demo_api_key_0123456789";
        PingKeys pingKeys = PingKeys.resolve(catalog, name -> Optional.ofNullable(keys.get(name)));
        SettableClock clock = new SettableClock(firstDay.atStartOfDay(ZoneOffset.UTC).toInstant());
        ObjectMapper mapper = new ObjectMapper();
        long[] ids = {0};
        Inbound inbound = Inbound.of(new Inbound.Ports(() -> pingKeys, (x, auth) -> apiKey.equals(x)
                || ("Bearer " + apiKey).equals(auth), pipeline::ingest, store, details,
                new LineageEvents(new LineageSchema(), mapper, clock, 1024 * 1024), store::park, clock,
                () -> "demo-" + (++ids[0]), RunStore.DEFAULT_RETENTION, 1024 * 1024, mapper));
        int pings = 0;
        int lineage = 0;
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (OutsideAws.Request r : OutsideAws.requests(firstDay, days, seed)) {
            clock.set(r.at());
            Map<String, String> headers = new LinkedHashMap<>();
            String path = r.path();
            if (r.lineage()) {
                headers.put("authorization", "Bearer " + apiKey);
                headers.put("content-type", "application/json");
                lineage++;
            } else {
                String variable = ((io.jobwatch.core.catalog.CredentialsRef.EnvVar) catalog.pingKeys().get(r.team())).name();
                path = path.replace("{key}", keys.get(variable));
                pings++;
            }
            Map<String, String> query = new LinkedHashMap<>();
            if (!r.query().isEmpty()) {
                String[] kv = r.query().split("=", 2);
                query.put(kv[0], kv[1]);
            }
            int status = inbound.handle(new InboundRequest(r.method(), path, query,
                    name -> headers.get(name.toLowerCase(java.util.Locale.ROOT)),
                    r.body().getBytes(StandardCharsets.UTF_8))).response().status();
            statuses.merge(status, 1, Integer::sum);
        }
        out.printf("%nOutside AWS, through the ping and OpenLineage endpoints: %d pings of 3 scripts (teams %s), %d"
                        + " OpenLineage events of the Airflow DAG airflow-prod/etl_daily and its 3 tasks; answers %s%n",
                pings, String.join(", ", OutsideAws.PING_TEAMS), lineage, statuses);
        return new Summary(pings, lineage, statuses);
    }

    /** The demo's clock for the endpoints: each request's simulated time. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant start) {
            this.now = start;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
