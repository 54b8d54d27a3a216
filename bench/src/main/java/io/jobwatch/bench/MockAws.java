package io.jobwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS and the services the reconciler asks, on a loopback port, in their documented wire shapes: STS AssumeRole
 * (query protocol, XML; the session's access key names the member account), Glue GetJobs / GetJobRuns (AWS JSON 1.1,
 * the simulated estate's Glue jobs and their runs), and an empty answer to every other listing (no state machines,
 * job queues, task executions …). Each call waits {@code latency} (a real API round trip) and is counted by its
 * target.
 */
final class MockAws implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ROLE_ACCOUNT = Pattern.compile("iam%3A%3A(\\d{12})%3A");
    private static final Pattern SESSION_ACCOUNT = Pattern.compile("Credential=ASIA(\\d{12})/");

    private final HttpServer server;
    private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
    /** account → Glue job → its runs, newest first. */
    private final Map<String, Map<String, List<RunEvent>>> glue = new TreeMap<>();

    MockAws(List<RunEvent> events, Duration latency) throws IOException {
        for (RunEvent e : events) {
            if (e.job().source() == JobSource.GLUE_JOB) {
                glue.computeIfAbsent(e.job().account(), a -> new TreeMap<>())
                        .computeIfAbsent(e.job().jobName(), j -> new ArrayList<>()).add(e);
            }
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(32, r -> {
            Thread t = new Thread(r, "mock-aws");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
                String auth = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
                String key = target != null ? target : body.contains("Action=AssumeRole") ? "STS.AssumeRole"
                        : exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
                calls.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                Thread.sleep(latency.toMillis());
                String response;
                String type = "application/x-amz-json-1.1";
                if (key.equals("STS.AssumeRole")) {
                    Matcher m = ROLE_ACCOUNT.matcher(body);
                    String account = m.find() ? m.group(1) : "000000000000";
                    type = "text/xml";
                    response = "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><AssumeRoleResult>"
                            + "<Credentials><AccessKeyId>ASIA" + account + "</AccessKeyId><SecretAccessKey>member-secret"
                            + "</SecretAccessKey><SessionToken>member-session-token</SessionToken><Expiration>"
                            + "2099-01-01T00:00:00Z</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>"
                            + "AROAEXAMPLE:jobwatch-reconcile</AssumedRoleId><Arn>arn:aws:sts::" + account
                            + ":assumed-role/JobwatchReconcilerReadOnly/jobwatch-reconcile</Arn></AssumedRoleUser>"
                            + "</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7"
                            + "</RequestId></ResponseMetadata></AssumeRoleResponse>";
                } else if ("AWSGlue.GetJobs".equals(target)) {
                    ObjectNode r = JSON.createObjectNode();
                    ArrayNode jobs = r.putArray("Jobs");
                    glue.getOrDefault(account(auth), Map.of()).keySet().forEach(n -> jobs.addObject().put("Name", n));
                    response = r.toString();
                } else if ("AWSGlue.GetJobRuns".equals(target)) {
                    String job = JSON.readTree(body).path("JobName").asText();
                    ObjectNode r = JSON.createObjectNode();
                    ArrayNode runs = r.putArray("JobRuns");
                    glue.getOrDefault(account(auth), Map.of()).getOrDefault(job, List.of()).stream()
                            .filter(e -> e.state().terminal())
                            .sorted(Comparator.comparing(RunEvent::eventTime).reversed())
                            .forEach(e -> {
                                ObjectNode run = runs.addObject().put("Id", e.runId()).put("JobName", job)
                                        .put("JobRunState", e.sourceState());
                                if (e.startedAt() != null) {
                                    run.put("StartedOn", e.startedAt().toEpochMilli() / 1000.0);
                                }
                                run.put("CompletedOn", e.eventTime().toEpochMilli() / 1000.0);
                            });
                    response = r.toString();
                } else {
                    response = "{}";
                    type = "application/json";
                }
                byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", type);
                exchange.getResponseHeaders().add("x-amzn-RequestId", "bench");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    private static String account(String authorization) {
        Matcher m = SESSION_ACCOUNT.matcher(authorization);
        return m.find() ? m.group(1) : "";
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Calls by target since the last reset. */
    Map<String, Long> calls() {
        Map<String, Long> out = new TreeMap<>();
        calls.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    long glueJobs() {
        return glue.values().stream().mapToLong(Map::size).sum();
    }

    void reset() {
        calls.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
