package io.jobwatch.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.detail.RunDetail;
import java.util.List;
import java.util.Map;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The read-only JSON API ({@code /api/jobs}, {@code /api/jobs/{id}/runs}, {@code /api/incidents}, {@code /api/breaches},
 * {@code /api/outbox}) and the one write, {@code POST /api/outbox/retry} (API key in a header, or the {@code key} field
 * of the dashboard's form). Job ids are {@code source:account:region:jobName}, URL-encoded in paths.
 */
final class ApiHandler implements HttpHandler {
    static final int DEFAULT_RUNS = 100;
    static final int MAX_RUNS = 1000;

    private final LocalView view;
    private final OutboxDrain drain;
    private final ApiKey key;
    private final ObjectMapper mapper;
    private final ReadAccess access;

    ApiHandler(LocalView view, OutboxDrain drain, ApiKey key, ObjectMapper mapper, ReadAccess access) {
        this.view = view;
        this.drain = drain;
        this.key = key;
        this.mapper = mapper;
        this.access = access;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/api/outbox/retry")) {
                retry(ex);
                return;
            }
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                Http.methodNotAllowed(ex, mapper, "GET");
                return;
            }
            if (!access.allowsApi(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"jobwatch\"");
                Http.error(ex, mapper, 401, "this server listens beyond this machine, so reading needs a key: send"
                        + " x-api-key: KEY or Authorization: Bearer KEY with the read key (JOBWATCH_READ_KEY or the"
                        + " jobwatch.read-key file) or the API key");
                return;
            }
            if (path.equals("/api/jobs")) {
                ArrayNode out = mapper.createArrayNode();
                JobRow.Filter filter = JobRow.Filter.of(Http.query(ex));
                for (JobRow r : view.jobs()) {
                    if (filter.matches(r)) {
                        job(out.addObject(), r);
                    }
                }
                Http.json(ex, mapper, 200, out);
            } else if (path.startsWith("/api/jobs/") && path.endsWith("/runs")) {
                runs(ex, path.substring("/api/jobs/".length(), path.length() - "/runs".length()));
            } else if (path.equals("/api/incidents")) {
                ArrayNode out = mapper.createArrayNode();
                for (IncidentRecord r : view.openIncidents()) {
                    incident(out.addObject(), r);
                }
                Http.json(ex, mapper, 200, out);
            } else if (path.equals("/api/breaches")) {
                ArrayNode out = mapper.createArrayNode();
                for (SlaBreach b : view.breaches()) {
                    breach(out.addObject(), b);
                }
                Http.json(ex, mapper, 200, out);
            } else if (path.equals("/api/outbox")) {
                ObjectNode out = mapper.createObjectNode();
                out.put("target", drain.target());
                ArrayNode pending = out.putArray("pending");
                view.pendingOutbox().forEach(e -> entry(pending.addObject(), e));
                ArrayNode parked = out.putArray("parked");
                view.parkedOutbox().forEach(e -> entry(parked.addObject(), e));
                Http.json(ex, mapper, 200, out);
            } else {
                Http.error(ex, mapper, 404, "no such resource: " + path + " (see /api/jobs, /api/jobs/{id}/runs, /api/incidents,"
                        + " /api/breaches, /api/outbox)");
            }
        } finally {
            ex.close();
        }
    }

    private void runs(HttpExchange ex, String encodedId) throws IOException {
        JobKey job;
        try {
            job = JobKey.parse(URLDecoder.decode(encodedId, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            Http.error(ex, mapper, 400, e.getMessage());
            return;
        }
        int limit = DEFAULT_RUNS;
        String l = Http.query(ex).get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_RUNS) {
                Http.error(ex, mapper, 400, "limit: expected a number from 1 to " + MAX_RUNS + ", found '" + l + "'");
                return;
            }
        }
        ArrayNode out = mapper.createArrayNode();
        List<Run> runs = view.runs(job, limit);
        Map<String, List<RunDetail>> details = view.details(runs);
        for (Run r : runs) {
            ObjectNode n = out.addObject();
            n.put("runId", r.runId());
            n.put("state", r.state().name());
            n.put("sourceState", r.sourceState());
            time(n, "startedAt", r.startedAt());
            time(n, "endedAt", r.endedAt());
            r.duration().ifPresentOrElse(d -> n.put("durationSeconds", d.toSeconds()), () -> n.putNull("durationSeconds"));
            n.put("error", r.error());
            ArrayNode notes = n.putArray("notes");
            r.notes().forEach(notes::add);
            n.put("eventCount", r.eventCount());
            time(n, "lastEventTime", r.lastEventTime());
            n.put("attempt", r.attempt());
            n.put("warning", r.warning());
            n.put("rawJobName", r.rawJobName());
            // What a ping's body said and an OpenLineage run's parent (runs of other sources have none).
            ArrayNode kept = n.putArray("details");
            for (RunDetail d : details.getOrDefault(r.runId(), List.of())) {
                ObjectNode x = kept.addObject();
                x.put("kind", d.kind().name());
                time(x, "at", d.at());
                x.put("text", d.text());
            }
        }
        Http.json(ex, mapper, 200, out);
    }

    private void retry(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            Http.methodNotAllowed(ex, mapper, "POST");
            return;
        }
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        boolean form = contentType != null && contentType.startsWith("application/x-www-form-urlencoded");
        String formKey = null;
        if (form) {
            try {
                formKey = Http.params(new String(Http.readBody(ex, 8192), StandardCharsets.UTF_8)).get("key");
            } catch (Http.TooLarge e) {
                Http.error(ex, mapper, 413, e.getMessage());
                return;
            }
        }
        String header = ex.getRequestHeaders().getFirst("x-api-key");
        if (!key.accepts(header != null ? header : formKey, ex.getRequestHeaders().getFirst("Authorization"))) {
            if (form) {
                Http.html(ex, 401, Dashboard.message("Wrong API key",
                        "The outbox was not retried: the API key is missing or wrong. It is the key senders of POST /events use"
                                + " (JOBWATCH_API_KEY, or the key file printed when the server first started).", view.now()));
            } else {
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"jobwatch\"");
                Http.error(ex, mapper, 401, "missing or wrong API key: send the header x-api-key: KEY or Authorization: Bearer KEY");
            }
            return;
        }
        DrainReport r = drain.retryNow();
        if (form) {
            String notice = "Retried: sent " + r.sent() + ", failed again " + r.retried() + ", parked " + r.parked() + ", "
                    + r.pending() + " still pending.";
            Http.redirect(ex, "/incidents?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8));
            return;
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("sent", r.sent());
        out.put("retried", r.retried());
        out.put("parked", r.parked());
        out.put("pending", r.pending());
        time(out, "nextAttemptAt", r.nextAttemptAt());
        Http.json(ex, mapper, 200, out);
    }

    private void job(ObjectNode n, JobRow r) {
        JobSummary s = r.summary();
        n.put("id", r.job().id());
        n.put("source", r.job().source().id());
        n.put("account", r.job().account());
        n.put("region", r.job().region());
        n.put("jobName", r.job().jobName());
        n.put("system", r.system());
        n.put("team", r.team());
        // A job with no finished run: its running run's state, or null for an expected job never seen running.
        if (r.state() == null) {
            n.putNull("state");
        } else {
            n.put("state", r.state().name());
        }
        n.put("latestRunId", s != null ? s.latestRun().runId() : r.running() != null ? r.running().runId() : null);
        time(n, "latestStartedAt", s != null ? s.latestStartedAt() : r.running() != null ? r.running().startedAt() : null);
        time(n, "latestEndedAt", s != null ? s.latestEndedAt() : null);
        n.put("latestError", s != null ? s.latestError() : null);
        n.put("consecutiveFailures", s != null ? s.consecutiveFailures() : 0);
        time(n, "lastSuccessAt", s != null ? s.lastSuccessAt() : null);
        time(n, "lastFailureAt", s != null ? s.lastFailureAt() : null);
        ArrayNode recent = n.putArray("recentStates");
        if (s != null) {
            for (RecentRun rr : s.recentRuns()) {
                recent.add(rr.state().name());
            }
        }
        if (r.incident() == null) {
            n.putNull("incident");
        } else {
            incident(n.putObject("incident"), r.incident());
        }
        ArrayNode breaches = n.putArray("breaches");
        r.breaches().forEach(b -> breaches.add(b.kind().name()));
    }

    private static void incident(ObjectNode n, IncidentRecord r) {
        n.put("jobId", r.job().id());
        n.put("kind", r.kind().name());
        n.put("correlationId", r.correlationId());
        n.put("number", r.number());
        n.put("state", r.state().name());
        time(n, "openedAt", r.openedAt());
        time(n, "updatedAt", r.updatedAt());
        time(n, "resolvedAt", r.resolvedAt());
        n.put("consecutiveFailures", r.consecutiveFailures());
    }

    private static void breach(ObjectNode n, SlaBreach b) {
        n.put("jobId", b.job().id());
        n.put("system", b.system());
        n.put("kind", b.kind().name());
        time(n, "expectedAt", b.expectedAt());
        n.put("detail", b.detail());
    }

    private static void entry(ObjectNode n, OutboxEntry e) {
        n.put("id", e.id());
        n.put("type", e.action().type());
        n.put("jobId", e.action().incident().job().id());
        n.put("correlationId", e.correlationId());
        n.put("status", e.status().name());
        time(n, "createdAt", e.createdAt());
        n.put("attempts", e.attempts());
        time(n, "nextAttemptAt", e.nextAttemptAt());
        n.put("lastError", e.lastError());
        n.put("responseStatus", e.responseStatus());
        time(n, "doneAt", e.doneAt());
        n.put("ticketNumber", e.ticketNumber());
    }

    private static void time(ObjectNode n, String field, Instant t) {
        if (t == null) {
            n.putNull(field);
        } else {
            n.put(field, t.toString());
        }
    }

    /** For tests: the API path of a job's runs. */
    static String runsPath(JobKey job) {
        return "/api/jobs/" + URLEncoder.encode(job.id(), StandardCharsets.UTF_8) + "/runs";
    }
}
