package io.jobwatch.core.inbound;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One HTTP request to the ping or lineage endpoint, as a transport hands it over (the local server's exchange, an API
 * Gateway event): nothing here is read from a socket.
 *
 * @param method  GET, HEAD, POST …
 * @param path    the path as sent, still percent-encoded
 * @param query   the query parameters, decoded (first value of each)
 * @param headers a header's first value by name, any case; null when absent
 * @param body    the body (the transport refuses one over its limit before this)
 */
public record InboundRequest(String method, String path, Map<String, String> query, Function<String, String> headers,
                             byte[] body) {
    public InboundRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        query = Map.copyOf(query);
        Objects.requireNonNull(headers, "headers");
        body = body == null ? new byte[0] : body;
    }

    public String header(String name) {
        return headers.apply(name);
    }

    @Override
    public String toString() {
        // The path of a ping holds its key: never print it.
        return "InboundRequest[" + method + " " + (path.startsWith("/ping/") ? "/ping/…" : path) + "]";
    }
}
