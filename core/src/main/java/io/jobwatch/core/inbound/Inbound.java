package io.jobwatch.core.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.detail.RunDetail;
import io.jobwatch.core.detail.RunDetails;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.lineage.LineageEvents;
import io.jobwatch.core.lineage.LineageParent;
import io.jobwatch.core.ping.PingEvents;
import io.jobwatch.core.ping.PingKeys;
import io.jobwatch.core.ping.PingRoute;
import io.jobwatch.core.ping.PingSignal;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.Text;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.InvalidRunEventException;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.RunStoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * The two endpoints through which jobs outside AWS report, the same on every deployment (the local server and the
 * AWS ingest function hand requests here and write the answer back):
 * <ul>
 * <li>{@code /ping/<ping-key>/<slug>[/start|/fail|/log|/<exit-status>][?rid=<uuid>]} — GET, HEAD or POST, Healthchecks'
 * slug URLs. The key is checked before anything is stored: a key no team holds answers {@code 404 not found} and
 * stores nothing. Otherwise the ping becomes a run event of the team's job ({@link PingEvents}) through the ingest
 * pipeline, its body (first 10,000 bytes) is kept as the run's log, and the answer is a tiny {@code 200 OK} with
 * Healthchecks' {@code Ping-Body-Limit} header, so scripts never trip over it.</li>
 * <li>{@code POST /api/v1/lineage} — OpenLineage's HTTP transport (key in {@code Authorization: Bearer KEY}, as the
 * client's {@code api_key} auth sends it, or {@code x-api-key}; gzip bodies accepted): a RunEvent or a batch
 * ({@link LineageEvents}). The answer is OpenLineage's batch response ({@code status}, {@code summary},
 * {@code failed_events}) plus {@code ignored_events}: 200 when every event was stored or knowingly ignored (also for
 * a batch where only some failed: {@code partial_success}), 400 when none could be, 401 without the key, 413 over
 * {@link LineageEvents#MAX_EVENTS} events or the body limit, 503 when the store failed (the client retries 5xx).
 * Rejected events are parked with their reasons.</li>
 * </ul>
 */
public final class Inbound {
    public static final String LINEAGE_PATH = "/api/v1/lineage";
    /** At most this many rejected lineage events of one request are parked one by one; the rest share one row. */
    static final int MAX_PARKED_PER_REQUEST = 100;

    /** Stores run events through the ingest pipeline (one writer at a time where the store needs it). */
    @FunctionalInterface
    public interface Writer {
        IngestPipeline.Result write(List<RunEvent> events);
    }

    /** The deployment's API key check ({@code x-api-key} header, else {@code Authorization: Bearer}). */
    @FunctionalInterface
    public interface KeyCheck {
        boolean accepts(String xApiKey, String authorization);
    }

    /** Keeps a rejected event with its reason (the store's parking). */
    @FunctionalInterface
    public interface Parking {
        void park(String raw, String reason, String source);
    }

    /** What the endpoints need; {@link #of} checks it is all there. */
    public record Ports(Supplier<PingKeys> pingKeys, KeyCheck apiKey, Writer writer, RunStore runs, RunDetails details,
                        LineageEvents lineage, Parking parking, Clock clock, Supplier<String> ids, Duration retention,
                        int maxBodyBytes, ObjectMapper mapper) {
        public Ports {
            Objects.requireNonNull(pingKeys, "pingKeys");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(writer, "writer");
            Objects.requireNonNull(runs, "runs");
            Objects.requireNonNull(details, "details");
            Objects.requireNonNull(lineage, "lineage");
            Objects.requireNonNull(parking, "parking");
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(ids, "ids");
            Objects.requireNonNull(retention, "retention");
            Objects.requireNonNull(mapper, "mapper");
        }
    }

    /** What one request did, for the transport's counters and logs (never the key). */
    public record Outcome(InboundResponse response, String endpoint, int stored, int rejected) {
    }

    private static final Map<String, String> PING_HEADERS = Map.of(
            "Ping-Body-Limit", String.valueOf(PingEvents.BODY_LIMIT),
            "Access-Control-Allow-Origin", "*");

    private final Ports p;

    private Inbound(Ports ports) {
        this.p = ports;
    }

    public static Inbound of(Ports ports) {
        return new Inbound(Objects.requireNonNull(ports, "ports"));
    }

    /** Whether the path is one of these endpoints. */
    public static boolean handles(String path) {
        return path != null && (path.startsWith(PingRoute.PREFIX) || path.equals(LINEAGE_PATH));
    }

    public Outcome handle(InboundRequest r) {
        if (r.path().startsWith(PingRoute.PREFIX)) {
            return ping(r);
        }
        if (r.path().equals(LINEAGE_PATH)) {
            return lineage(r);
        }
        return new Outcome(InboundResponse.text(404, "not found", Map.of()), "none", 0, 0);
    }

    // ---- pings -----------------------------------------------------------------------------------------------------

    private Outcome ping(InboundRequest r) {
        String m = r.method();
        if (!m.equals("GET") && !m.equals("HEAD") && !m.equals("POST")) {
            return pingOutcome(InboundResponse.text(405, m + " is not a ping: use GET, HEAD or POST",
                    InboundResponse.with(PING_HEADERS, "Allow", "GET, HEAD, POST")), 0, 1);
        }
        PingRoute.Parsed parsed = PingRoute.parse(r.path(), r.query().get("rid"));
        if (!parsed.ok()) {
            return pingOutcome(InboundResponse.text(parsed.invalid().status(), parsed.invalid().message(), PING_HEADERS),
                    0, 1);
        }
        PingRoute.Ping ping = parsed.ping();
        String team = p.pingKeys().get().team(ping.key()).orElse(null);
        if (team == null) {
            // The same answer as a path that is no ping: a wrong key tells nothing, and nothing is stored.
            return pingOutcome(InboundResponse.text(404, "not found", PING_HEADERS), 0, 1);
        }
        Instant now = p.clock().instant();
        String body = PingEvents.text(r.body());
        try {
            if (ping.signal() instanceof PingSignal.Log) {
                List<Run> latest = p.runs().runsOfJob(PingEvents.job(team, ping.slug()), 1);
                RunKey run = ping.rid() != null ? new RunKey(PingEvents.job(team, ping.slug()),
                        PingEvents.ridRunId(ping.slug(), ping.rid())) : latest.isEmpty() ? null : latest.get(0).key();
                if (run != null && !body.isBlank()) {
                    p.details().add(new RunDetail(run, p.ids().get(), now, RunDetail.Kind.LOG, body),
                            now.plus(p.retention()));
                }
                return pingOutcome(InboundResponse.text(200, "OK", PING_HEADERS), run != null && !body.isBlank() ? 1 : 0, 0);
            }
            String id = "ping-" + p.ids().get();
            RunEvent event = PingEvents.event(team, ping, now, id, body);
            ApplyResult applied = p.writer().write(List.of(event)).applied().get(0);
            if (!body.isBlank()) {
                p.details().add(new RunDetail(applied.run().key(), id, event.eventTime(), RunDetail.Kind.LOG, body),
                        now.plus(p.retention()));
            }
            return pingOutcome(InboundResponse.text(200, "OK", PING_HEADERS), 1, 0);
        } catch (InvalidRunEventException e) {
            return pingOutcome(InboundResponse.text(400, "invalid ping: " + e.getMessage(), PING_HEADERS), 0, 1);
        } catch (RunStoreException e) {
            return pingOutcome(InboundResponse.text(503, "the store failed; nothing was stored, send the ping again",
                    InboundResponse.with(PING_HEADERS, "Retry-After", "5")), 0, 1);
        }
    }

    private static Outcome pingOutcome(InboundResponse response, int stored, int rejected) {
        return new Outcome(response, "ping", stored, rejected);
    }

    // ---- OpenLineage -----------------------------------------------------------------------------------------------

    private Outcome lineage(InboundRequest r) {
        if (!r.method().equals("POST")) {
            return lineageOutcome(error(405, r.method() + " is not allowed here; OpenLineage events are POSTed",
                    Map.of("Allow", "POST")), 0, 1);
        }
        if (!p.apiKey().accepts(r.header("x-api-key"), r.header("Authorization"))) {
            return lineageOutcome(error(401, "missing or wrong API key: configure the OpenLineage transport's auth"
                    + " {type: api_key, apiKey: KEY} (sent as Authorization: Bearer KEY) or send x-api-key: KEY",
                    Map.of("WWW-Authenticate", "Bearer realm=\"jobwatch\"")), 0, 1);
        }
        byte[] body;
        try {
            body = decoded(r);
        } catch (TooLarge e) {
            return lineageOutcome(error(413, e.getMessage(), Map.of()), 0, 1);
        } catch (IOException e) {
            return lineageOutcome(error(400, "Content-Encoding: gzip, but the body is not valid gzip ("
                    + e.getMessage() + "); send it compressed with gzip, or uncompressed without the header", Map.of()),
                    0, 1);
        }
        List<LineageEvents.Item> items = p.lineage().read(body);
        if (items.isEmpty()) {
            return lineageOutcome(error(400, "empty body: send one OpenLineage RunEvent, or a JSON array of them",
                    Map.of()), 0, 1);
        }
        if (p.lineage().tooMany(items)) {
            return lineageOutcome(error(413, "more than " + LineageEvents.MAX_EVENTS + " events in one request: send at"
                    + " most " + LineageEvents.MAX_EVENTS + " per request (nothing of this request was stored)",
                    Map.of()), 0, 1);
        }
        List<RunEvent> events = new ArrayList<>();
        List<LineageEvents.Accepted> accepted = new ArrayList<>();
        for (LineageEvents.Item item : items) {
            if (item instanceof LineageEvents.Accepted a) {
                events.add(a.event());
                accepted.add(a);
            }
        }
        List<ApplyResult> applied;
        try {
            applied = events.isEmpty() ? List.of() : p.writer().write(events).applied();
            for (int i = 0; i < accepted.size(); i++) {
                LineageParent parent = accepted.get(i).parent();
                if (parent != null) {
                    p.details().add(new RunDetail(applied.get(i).run().key(), "parent", accepted.get(i).event().eventTime(),
                            RunDetail.Kind.PARENT, parentJson(parent)), p.clock().instant().plus(p.retention()));
                }
            }
        } catch (InvalidRunEventException e) {
            return lineageOutcome(error(400, "an event does not fit the run model: " + e.getMessage()
                    + " (nothing of this request was stored)", Map.of()), 0, items.size());
        } catch (RunStoreException e) {
            return lineageOutcome(error(503, "the store failed; nothing of this request may be assumed stored, send it"
                    + " again", Map.of("Retry-After", "5")), 0, items.size());
        }
        int rejected = park(items, body);
        ObjectNode out = p.mapper().createObjectNode();
        out.put("status", rejected == 0 ? "success" : rejected < items.size() ? "partial_success" : "failed");
        ObjectNode summary = out.putObject("summary");
        summary.put("received", items.size());
        summary.put("successful", items.size() - rejected);
        summary.put("failed", rejected);
        summary.put("retriable", 0);
        summary.put("non_retriable", rejected);
        ArrayNode failed = out.putArray("failed_events");
        ArrayNode ignored = out.putArray("ignored_events");
        for (LineageEvents.Item item : items) {
            if (item instanceof LineageEvents.Rejected x) {
                ObjectNode f = failed.addObject();
                f.put("index", x.index());
                f.put("reason", x.message());
                f.put("retriable", false);
            } else if (item instanceof LineageEvents.Ignored x) {
                ObjectNode f = ignored.addObject();
                f.put("index", x.index());
                f.put("reason", x.reason());
            }
        }
        return lineageOutcome(InboundResponse.json(rejected == items.size() ? 400 : 200, bytes(out), Map.of()),
                events.size(), rejected);
    }

    /** Parks the rejected events (the first {@value #MAX_PARKED_PER_REQUEST} one by one); returns how many there were. */
    private int park(List<LineageEvents.Item> items, byte[] body) {
        int rejected = 0;
        int overflow = 0;
        int first = -1;
        for (LineageEvents.Item item : items) {
            if (item instanceof LineageEvents.Rejected x) {
                rejected++;
                if (rejected <= MAX_PARKED_PER_REQUEST) {
                    String raw = x.raw() != null ? x.raw().toString() : new String(body, StandardCharsets.UTF_8);
                    p.parking().park(Text.truncateUtf8(raw, ParkedEvent.MAX_RAW_BYTES),
                            "event " + x.index() + ": " + x.message(), "lineage:" + x.index());
                } else {
                    overflow++;
                    first = first < 0 ? x.index() : first;
                }
            }
        }
        if (overflow > 0) {
            p.parking().park(Text.truncateUtf8(new String(body, StandardCharsets.UTF_8), ParkedEvent.MAX_RAW_BYTES),
                    overflow + " more rejected OpenLineage event(s) of this request (from event " + first + ") were not"
                            + " parked one by one: at most " + MAX_PARKED_PER_REQUEST + " per request; each one's"
                            + " error was in the response", "lineage:" + first);
        }
        return rejected;
    }

    private String parentJson(LineageParent parent) {
        ObjectNode n = p.mapper().createObjectNode();
        n.put("job", parent.job());
        n.put("runId", parent.runId());
        n.put("rootJob", parent.rootJob());
        n.put("rootRun", parent.rootRun());
        return n.toString();
    }

    private static Outcome lineageOutcome(InboundResponse response, int stored, int rejected) {
        return new Outcome(response, "lineage", stored, rejected);
    }

    private InboundResponse error(int status, String message, Map<String, String> headers) {
        ObjectNode n = p.mapper().createObjectNode();
        n.put("error", message);
        return InboundResponse.json(status, bytes(n), headers);
    }

    private byte[] bytes(ObjectNode n) {
        try {
            return p.mapper().writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /** The request body was over the limit once decompressed. */
    private static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /** The body, gunzipped when the client compressed it (the OpenLineage transport's {@code compression: gzip}). */
    private byte[] decoded(InboundRequest r) throws IOException {
        String encoding = r.header("Content-Encoding");
        if (encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity")) {
            return r.body();
        }
        if (!encoding.trim().equalsIgnoreCase("gzip")) {
            throw new IOException("unsupported Content-Encoding " + encoding.trim());
        }
        // Bounded: a small compressed body must not expand past the limit (a zip bomb).
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > p.maxBodyBytes()) {
                    throw new TooLarge("the body is over the limit of " + p.maxBodyBytes() + " bytes once"
                            + " decompressed; send smaller batches");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }
}
