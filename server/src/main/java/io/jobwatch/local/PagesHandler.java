package io.jobwatch.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Run;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The dashboard's pages ({@code /}, {@code /jobs/{id}}, {@code /incidents}, {@code /sla}) and its two static files. */
final class PagesHandler implements HttpHandler {
    private static final Map<String, String> STATIC = Map.of(
            "/static/dashboard.js", "text/javascript; charset=utf-8",
            "/static/dashboard.css", "text/css; charset=utf-8");

    private final LocalView view;
    private final OutboxDrain drain;
    private final ObjectMapper mapper;
    private final Metrics metrics;
    private final ReadAccess access;

    PagesHandler(LocalView view, OutboxDrain drain, ObjectMapper mapper, Metrics metrics, ReadAccess access) {
        this.view = view;
        this.drain = drain;
        this.mapper = mapper;
        this.metrics = metrics;
        this.access = access;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                Http.methodNotAllowed(ex, mapper, "GET");
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            if (STATIC.containsKey(path)) {
                try (InputStream in = PagesHandler.class.getResourceAsStream("static" + path.substring("/static".length()))) {
                    if (in == null) {
                        Http.error(ex, mapper, 404, "missing static file " + path);
                        return;
                    }
                    ex.getResponseHeaders().set("Cache-Control", "max-age=300");
                    Http.send(ex, 200, STATIC.get(path), in.readAllBytes());
                }
                return;
            }
            if (!access.allowsPage(ex)) {
                // Beyond loopback the pages need a session: log in, then come back here.
                String query = ex.getRequestURI().getRawQuery();
                Http.redirect(ex, "/login?next=" + java.net.URLEncoder.encode(path + (query == null ? "" : "?" + query),
                        StandardCharsets.UTF_8));
                return;
            }
            long started = System.nanoTime();
            if (path.equals("/")) {
                Http.html(ex, 200, Dashboard.overview(view.jobs(), JobRow.Filter.of(Http.query(ex)), view.now(),
                        access.required()));
            } else if (path.startsWith("/jobs/")) {
                job(ex, path.substring("/jobs/".length()));
            } else if (path.equals("/incidents")) {
                Http.html(ex, 200, Dashboard.incidents(view.openIncidents(), view.pendingOutbox(), view.parkedOutbox(),
                        drain.target(), Http.query(ex).get("notice"), view.now()));
            } else if (path.equals("/sla")) {
                Http.html(ex, 200, Dashboard.sla(view.breaches(), view.slaEnabled(), view.now()));
            } else {
                Http.html(ex, 404, Dashboard.message("Not found", "There is no page " + path + ".", view.now()));
                return;
            }
            metrics.inc("jobwatch_dashboard_pages_total", 1);
            metrics.inc("jobwatch_dashboard_render_micros_total", (System.nanoTime() - started) / 1000);
        } finally {
            ex.close();
        }
    }

    /** Where this server is reached, for the copy-paste ping lines: the public URL, else the request's Host. */
    private String baseUrl(HttpExchange ex) {
        if (view.publicUrl() != null) {
            return view.publicUrl();
        }
        String host = ex.getRequestHeaders().getFirst("Host");
        String proto = ex.getRequestHeaders().getFirst("X-Forwarded-Proto");
        return ("https".equalsIgnoreCase(proto == null ? "" : proto.trim()) ? "https" : "http") + "://"
                + (host == null || host.isBlank() ? "127.0.0.1" : host.trim());
    }

    private void job(HttpExchange ex, String encodedId) throws IOException {
        JobKey job;
        try {
            job = JobKey.parse(URLDecoder.decode(encodedId, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            Http.html(ex, 400, Dashboard.message("Not a job", e.getMessage(), view.now()));
            return;
        }
        JobSummary summary = view.summary(job).orElse(null);
        List<Run> runs = view.runs(job, Dashboard.JOB_RUNS);
        // A job the catalog expects (or an SLA check reports) is listed even if it never ran: it has a page too.
        if (summary == null && runs.isEmpty() && view.jobs().stream().noneMatch(r -> r.job().equals(job))) {
            Http.html(ex, 404, Dashboard.message("Unknown job", "No run of " + job.id() + " is known (or kept).", view.now()));
            return;
        }
        String[] owner = view.owner(job);
        Http.html(ex, 200, Dashboard.job(job, owner[0], owner[1], summary, runs, view.incidentsOf(job), view.outboxOf(job),
                view.breachesOf(job), view.now(), view.details(runs), view.pingLine(job, baseUrl(ex)), access.required()));
    }
}
