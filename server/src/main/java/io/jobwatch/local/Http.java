package io.jobwatch.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Small helpers for the JDK HTTP server: safe response headers, bounded body reads, query and form parsing. */
final class Http {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

    private Http() {
    }

    /** The request body was larger than allowed. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    /**
     * How much of a refused body is still read and thrown away before the answer, as Tomcat's maxSwallowSize does:
     * a client still sending when the server closes gets a TCP reset and loses the 413 that says what was wrong.
     * Beyond this the connection is simply closed.
     */
    static final long SWALLOW_BYTES = 8L * 1024 * 1024;

    /**
     * Reads the body, refusing more than {@code max} bytes: at once when Content-Length says so (nothing is kept),
     * else as soon as the read passes the limit (chunked uploads).
     */
    static byte[] readBody(HttpExchange ex, int max) throws IOException {
        String declared = ex.getRequestHeaders().getFirst("Content-Length");
        if (declared != null) {
            long n;
            try {
                n = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n > max) {
                swallow(ex.getRequestBody());
                throw new TooLarge("body of " + n + " bytes is over the limit of " + max + " bytes; send smaller batches");
            }
        }
        InputStream in = ex.getRequestBody();
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared != null ? (int) Math.min(max, Math.max(0, parse(declared))) : 8192);
        byte[] buf = new byte[16384];
        int total = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            total += r;
            if (total > max) {
                swallow(in);
                throw new TooLarge("body is over the limit of " + max + " bytes; send smaller batches");
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    /** Reads and discards up to {@link #SWALLOW_BYTES} of what is left of a refused body. */
    private static void swallow(InputStream in) {
        byte[] buf = new byte[65536];
        long left = SWALLOW_BYTES;
        try {
            int r;
            while (left > 0 && (r = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= r;
            }
        } catch (IOException e) {
            // The client went away: nothing left to answer.
        }
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code a=1&b=x} → map (first value wins), URL-decoded. */
    static Map<String, String> params(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                m.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // A malformed %-escape: ignore that parameter.
            }
        }
        return m;
    }

    static Map<String, String> query(HttpExchange ex) {
        return params(ex.getRequestURI().getRawQuery());
    }

    static void securityHeaders(Headers h) {
        h.set("Content-Security-Policy", CSP);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        Headers h = ex.getResponseHeaders();
        securityHeaders(h);
        h.set("Content-Type", contentType);
        if (!h.containsKey("Cache-Control")) {
            h.set("Cache-Control", "no-store");
        }
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head || body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }

    static void html(HttpExchange ex, int status, String html) throws IOException {
        send(ex, status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    static void text(HttpExchange ex, int status, String contentType, String text) throws IOException {
        send(ex, status, contentType, text.getBytes(StandardCharsets.UTF_8));
    }

    static void json(HttpExchange ex, ObjectMapper mapper, int status, JsonNode body) throws IOException {
        send(ex, status, "application/json", mapper.writeValueAsBytes(body));
    }

    /** {"error": message} with the status. */
    static void error(HttpExchange ex, ObjectMapper mapper, int status, String message) throws IOException {
        ObjectNode n = mapper.createObjectNode();
        n.put("error", message);
        json(ex, mapper, status, n);
    }

    static void redirect(HttpExchange ex, String location) throws IOException {
        ex.getResponseHeaders().set("Location", location);
        send(ex, 303, "text/plain; charset=utf-8", new byte[0]);
    }

    /** 405 with the allowed methods. */
    static void methodNotAllowed(HttpExchange ex, ObjectMapper mapper, String allow) throws IOException {
        ex.getResponseHeaders().set("Allow", allow);
        error(ex, mapper, 405, ex.getRequestMethod() + " is not allowed here; use " + allow);
    }
}
