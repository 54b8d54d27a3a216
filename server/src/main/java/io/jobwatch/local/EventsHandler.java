package io.jobwatch.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jobwatch.core.store.RunStoreException;
import java.io.IOException;

/**
 * {@code POST /events}: what an EventBridge API destination sends (the event as the body), or a batch (a JSON array or
 * JSON lines). Status: 200 when every event was accepted (stored, or ignored as a source Jobwatch does not follow); 207
 * when some were rejected and others accepted; 400 when none was accepted; 401 without the key; 413 over the body size
 * limit or with more than {@link EventsIngest#MAX_EVENTS_PER_REQUEST} events (nothing stored); 503 when the store fails
 * (EventBridge retries 5xx). The body lists an outcome per event, in input order. An event over 256 KB (EventBridge's
 * limit) is rejected on its own ({@code (event): expected at most 262144 bytes …}), the request's other events stored.
 */
final class EventsHandler implements HttpHandler {
    private final EventsIngest ingest;
    private final ApiKey key;
    private final int maxBody;
    private final Metrics metrics;
    private final ObjectMapper mapper;
    /** Given the incidents a request decided actions for, to send them right away. */
    private final java.util.function.Consumer<java.util.Set<String>> afterIncidentActions;

    EventsHandler(EventsIngest ingest, ApiKey key, int maxBody, Metrics metrics, ObjectMapper mapper,
                  java.util.function.Consumer<java.util.Set<String>> afterIncidentActions) {
        this.ingest = ingest;
        this.key = key;
        this.maxBody = maxBody;
        this.metrics = metrics;
        this.mapper = mapper;
        this.afterIncidentActions = afterIncidentActions;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            if (!ex.getRequestURI().getPath().equals("/events")) {
                Http.error(ex, mapper, 404, "no such resource: " + ex.getRequestURI().getPath());
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                Http.methodNotAllowed(ex, mapper, "POST");
                return;
            }
            if (!key.accepts(ex.getRequestHeaders().getFirst("x-api-key"), ex.getRequestHeaders().getFirst("Authorization"))) {
                metrics.inc("jobwatch_http_unauthorized_total", 1);
                ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"jobwatch\"");
                Http.error(ex, mapper, 401, "missing or wrong API key: send the header x-api-key: KEY or Authorization: Bearer KEY");
                return;
            }
            byte[] body;
            try {
                body = Http.readBody(ex, maxBody);
            } catch (Http.TooLarge e) {
                metrics.inc("jobwatch_events_body_too_large_total", 1);
                ex.getResponseHeaders().set("Connection", "close");
                Http.error(ex, mapper, 413, e.getMessage());
                return;
            }
            EventsIngest.Batch batch;
            try {
                batch = ingest.ingest(body, "http");
            } catch (EventsIngest.TooManyEvents e) {
                Http.error(ex, mapper, 413, e.getMessage());
                return;
            } catch (RunStoreException e) {
                Http.error(ex, mapper, 503, "the store failed; nothing of this request may be assumed stored, send it again: " + e.getMessage());
                return;
            }
            if (batch.results().isEmpty()) {
                Http.error(ex, mapper, 400, "empty body: send one EventBridge event, a JSON array of events, or JSON lines");
                return;
            }
            if (batch.incidentActions() > 0) {
                afterIncidentActions.accept(batch.incidents());
            }
            ObjectNode out = mapper.createObjectNode();
            out.put("accepted", batch.accepted());
            out.put("rejected", batch.rejected());
            ArrayNode results = out.putArray("results");
            for (EventsIngest.Outcome o : batch.results()) {
                ObjectNode r = results.addObject();
                r.put("index", o.index());
                if (o.rejected()) {
                    r.put("error", o.error());
                    r.put("parked", o.parked());
                } else {
                    r.put("outcome", o.outcome());
                    if (o.jobId() != null) {
                        r.put("jobId", o.jobId());
                        r.put("runId", o.runId());
                    }
                    if (o.error() != null) {
                        r.put("reason", o.error());
                    }
                }
            }
            int status = batch.rejected() == 0 ? 200 : batch.accepted() > 0 ? 207 : 400;
            Http.json(ex, mapper, status, out);
        } finally {
            ex.close();
        }
    }
}
