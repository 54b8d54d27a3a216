package io.jobwatch.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * A small stateful ServiceNow playing the parts of the Table API Jobwatch uses (examples/servicenow/TABLE-API.md):
 * {@code GET /api/now/table/incident?sysparm_query=correlation_id=…[^active=true^stateNOT IN6,7,8]^ORDERBYDESCsys_created_on},
 * {@code POST} (201, the new record), {@code PATCH …/{sys_id}} (state, work notes, close fields). It keeps every
 * incident with its work notes, so a test can count what a real instance would show: tickets per correlation id,
 * active ones, notes posted twice, resolves of resolved tickets. Loopback only; stops with {@link #close()}.
 */
final class TableApiServer implements AutoCloseable {
    private static final String TABLE = "/api/now/table/incident";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One incident as the instance keeps it. */
    static final class Incident {
        final String sysId;
        final String number;
        final String correlationId;
        String state = "1";
        final List<String> notes = new ArrayList<>();
        int resolvesWhileResolved;

        Incident(String sysId, String number, String correlationId) {
            this.sysId = sysId;
            this.number = number;
            this.correlationId = correlationId;
        }

        boolean active() {
            return !"6".equals(state) && !"7".equals(state) && !"8".equals(state);
        }
    }

    private final HttpServer server;
    private final Map<String, Incident> bySysId = new LinkedHashMap<>();
    private int created;
    private int requests;

    TableApiServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext(TABLE, this::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String method = x.getRequestMethod();
            String path = x.getRequestURI().getPath();
            JsonNode body = "GET".equals(method) ? null : JSON.readTree(x.getRequestBody());
            ObjectNode out = JSON.createObjectNode();
            int status;
            synchronized (this) {
                requests++;
                if ("GET".equals(method) && path.equals(TABLE)) {
                    ArrayNode result = out.putArray("result");
                    Incident i = find(query(x.getRequestURI().getRawQuery()));
                    if (i != null) {
                        result.add(record(i));
                    }
                    status = 200;
                } else if ("POST".equals(method) && path.equals(TABLE)) {
                    created++;
                    Incident i = new Incident(String.format("sys%08d", created), String.format("INC%07d", created),
                            body.path("correlation_id").asText());
                    note(i, body);
                    bySysId.put(i.sysId, i);
                    out.set("result", record(i));
                    status = 201;
                } else if ("PATCH".equals(method) && path.startsWith(TABLE + "/")) {
                    Incident i = bySysId.get(path.substring(TABLE.length() + 1));
                    if (i == null) {
                        out.putObject("error").put("message", "No Record found");
                        out.put("status", "failure");
                        status = 404;
                    } else {
                        if (body.has("state")) {
                            if ("6".equals(body.get("state").asText()) && !i.active()) {
                                i.resolvesWhileResolved++;
                            }
                            i.state = body.get("state").asText();
                        }
                        note(i, body);
                        out.set("result", record(i));
                        status = 200;
                    }
                } else {
                    out.putObject("error").put("message", "unsupported " + method + " " + path);
                    status = 400;
                }
            }
            byte[] bytes = JSON.writeValueAsBytes(out);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(status, bytes.length);
            try (OutputStream os = x.getResponseBody()) {
                os.write(bytes);
            }
        }
    }

    private static void note(Incident i, JsonNode body) {
        if (body.hasNonNull("work_notes")) {
            i.notes.add(body.get("work_notes").asText());
        }
    }

    private static ObjectNode record(Incident i) {
        ObjectNode r = JSON.createObjectNode();
        r.put("sys_id", i.sysId);
        r.put("number", i.number);
        r.put("state", i.state);
        r.put("correlation_id", i.correlationId);
        return r;
    }

    private static String query(String rawQuery) {
        for (String p : rawQuery.split("&")) {
            if (p.startsWith("sysparm_query=")) {
                return URLDecoder.decode(p.substring("sysparm_query=".length()), StandardCharsets.UTF_8);
            }
        }
        return "";
    }

    /** The newest incident matching an encoded query of correlation_id, optionally active=true (ORDERBYDESC created). */
    private Incident find(String q) {
        String cid = null;
        boolean activeOnly = false;
        for (String c : q.split("\\^")) {
            if (c.startsWith("correlation_id=")) {
                cid = c.substring("correlation_id=".length());
            } else if (c.equals("active=true")) {
                activeOnly = true;
            }
        }
        Incident newest = null;
        for (Incident i : bySysId.values()) {
            if (i.correlationId.equals(cid) && (!activeOnly || i.active())) {
                newest = i;
            }
        }
        return newest;
    }

    /** What the instance shows now. */
    record Counts(int created, long active, long jobsWithTwoActive, long notesPostedTwice, long resolvesWhileResolved,
                  int requests, Map<String, Long> activeByCorrelation) {
    }

    synchronized Counts counts() {
        Map<String, Long> active = new HashMap<>();
        long twice = 0;
        long resolves = 0;
        for (Incident i : bySysId.values()) {
            if (i.active()) {
                active.merge(i.correlationId, 1L, Long::sum);
            }
            twice += i.notes.size() - i.notes.stream().distinct().count();
            resolves += i.resolvesWhileResolved;
        }
        return new Counts(created, active.values().stream().mapToLong(Long::longValue).sum(),
                active.values().stream().filter(n -> n > 1).count(), twice, resolves, requests, active);
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
