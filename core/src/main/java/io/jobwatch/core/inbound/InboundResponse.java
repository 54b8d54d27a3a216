package io.jobwatch.core.inbound;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to answer: status, content type, body and extra headers (the transport adds its own security headers).
 *
 * @param status      the HTTP status
 * @param contentType the body's type
 * @param body        the body
 * @param headers     headers to set besides Content-Type
 */
public record InboundResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
    static final String TEXT = "text/plain; charset=utf-8";
    static final String JSON = "application/json";

    public InboundResponse {
        headers = Map.copyOf(headers);
    }

    static InboundResponse text(int status, String text, Map<String, String> headers) {
        return new InboundResponse(status, TEXT, text.getBytes(StandardCharsets.UTF_8), headers);
    }

    static InboundResponse json(int status, byte[] json, Map<String, String> headers) {
        return new InboundResponse(status, JSON, json, headers);
    }

    /** The body as text (tests, logs of JSON answers). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    static Map<String, String> with(Map<String, String> base, String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(base);
        m.put(name, value);
        return m;
    }
}
