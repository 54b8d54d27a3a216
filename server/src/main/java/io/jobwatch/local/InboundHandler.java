package io.jobwatch.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.jobwatch.core.inbound.Inbound;
import io.jobwatch.core.inbound.InboundRequest;
import io.jobwatch.core.inbound.InboundResponse;
import java.io.IOException;
import java.util.Map;

/**
 * {@code /ping/…} and {@code POST /api/v1/lineage} on the local server: reads the request (body up to the server's
 * limit, else 413 and nothing stored), hands it to core's {@link Inbound} and writes the answer. The ping key is part
 * of the path: this handler never logs a path.
 */
final class InboundHandler implements HttpHandler {
    private final Inbound inbound;
    private final int maxBody;
    private final Metrics metrics;
    private final ObjectMapper mapper;

    InboundHandler(Inbound inbound, int maxBody, Metrics metrics, ObjectMapper mapper) {
        this.inbound = inbound;
        this.maxBody = maxBody;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            boolean ping = path.startsWith("/ping/");
            byte[] body;
            try {
                body = Http.readBody(ex, maxBody);
            } catch (Http.TooLarge e) {
                metrics.inc("jobwatch_inbound_requests_total{endpoint=\"" + (ping ? "ping" : "lineage")
                        + "\",status=\"413\"}", 1);
                ex.getResponseHeaders().set("Connection", "close");
                if (ping) {
                    Http.text(ex, 413, "text/plain; charset=utf-8", e.getMessage() + " (a ping keeps its first 10000"
                            + " bytes; send less)");
                } else {
                    Http.error(ex, mapper, 413, e.getMessage());
                }
                return;
            }
            Inbound.Outcome o = inbound.handle(new InboundRequest(ex.getRequestMethod(), path, Http.query(ex),
                    name -> ex.getRequestHeaders().getFirst(name), body));
            InboundResponse r = o.response();
            metrics.inc("jobwatch_inbound_requests_total{endpoint=\"" + o.endpoint() + "\",status=\"" + r.status() + "\"}", 1);
            metrics.inc("jobwatch_inbound_stored_total{endpoint=\"" + o.endpoint() + "\"}", o.stored());
            for (Map.Entry<String, String> h : r.headers().entrySet()) {
                ex.getResponseHeaders().set(h.getKey(), h.getValue());
            }
            Http.send(ex, r.status(), r.contentType(), r.body());
        } finally {
            ex.close();
        }
    }
}
