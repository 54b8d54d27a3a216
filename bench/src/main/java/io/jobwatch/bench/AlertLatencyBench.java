package io.jobwatch.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.extension.requestfilter.RequestFilterAction;
import com.github.tomakehurst.wiremock.extension.requestfilter.StubRequestFilter;
import com.github.tomakehurst.wiremock.http.Request;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.incident.IncidentDecision;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.ingest.FinishedRuns;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.lambda.Env;
import io.jobwatch.lambda.IngestHandler;
import io.jobwatch.servicenow.Credentials;
import io.jobwatch.servicenow.ServiceNowSettings;
import io.jobwatch.servicenow.TableApiIncidentGateway;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * {@code jobwatch bench alert-latency}: how long a failed job takes to reach ServiceNow on AWS — the handler chain as
 * Lambda runs it, with dynalite as the table and the ServiceNow Table API on WireMock, for 1,000 failures spread over a
 * simulated hour (500 jobs failing twice: an Open, then a work note). Measured in wall time from handing the event to
 * the ingest handler to WireMock receiving the action's first request (a request filter stamps each request as it
 * arrives; the chain runs one event at a time, so the first request after an event's hand-off is its action's).
 *
 * <ul>
 * <li><b>after, inline</b> (the stack's design): {@link IngestHandler} stores the event, judges the run and sends.</li>
 * <li><b>after, stream</b> (the alternative the issue names): the ingest handler stores only; a DynamoDB Stream would
 * hand the run item to a decision function, which judges and sends with the same core classes. Measured: the two
 * handlers' time; added: Lambda's polling of the stream (AWS: "a base rate of 4 times per second", so 0–250 ms,
 * sampled uniformly with a fixed seed). The stream's own propagation is not published as a figure and not added.</li>
 * <li><b>before</b>: the 5-minute function judged runs last updated at least 30 s before its run, so a failure waited
 * for the first run of {@code rate(5 minutes)} at least 30 s after its event: computed for the same arrival times
 * (evenly over the hour), plus the inline chain's median for the deciding and sending.</li>
 * </ul>
 * EventBridge's delivery and Lambda's asynchronous queue come on top of every design (listed with AWS's figures).
 */
final class AlertLatencyBench {
    static final String TABLE_API = "/api/now/table/incident";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Lambda's stream polling: "a base rate of 4 times per second" (AWS Lambda Developer Guide, with-ddb). */
    static final Duration STREAM_POLL = Duration.ofMillis(250);
    static final Duration SCHEDULE = Duration.ofMinutes(5);
    static final Duration SETTLE = Duration.ofSeconds(30);

    private AlertLatencyBench() {
    }

    /** Latencies of one design, in milliseconds, one per action. */
    record Sample(String design, double[] millis, int events, int actions, String note) {
        double p(double q) {
            double[] v = millis.clone();
            Arrays.sort(v);
            if (v.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(q * v.length) - 1;
            return v[Math.max(0, Math.min(v.length - 1, i))];
        }
    }

    /** The ServiceNow stand-in's arrival stamps (System.nanoTime), in order. */
    static final class Arrivals extends StubRequestFilter {
        final ConcurrentLinkedQueue<Long> stamps = new ConcurrentLinkedQueue<>();
        final LongSupplier nanos;

        Arrivals(LongSupplier nanos) {
            this.nanos = nanos;
        }

        @Override
        public RequestFilterAction filter(Request request) {
            stamps.add(nanos.getAsLong());
            return RequestFilterAction.continueWith(request);
        }

        @Override
        public String getName() {
            return "jobwatch-arrival-stamps";
        }

        /** The first stamp at or after {@code from}, dropping the ones before; -1 when none. */
        long firstFrom(long from) {
            Long s;
            while ((s = stamps.peek()) != null && s < from) {
                stamps.poll();
            }
            return s == null ? -1 : s;
        }
    }

    static void run(boolean quick, PrintStream out) throws Exception {
        run(quick ? 100 : 500, quick ? 60 : 200, out);
    }

    /** {@code 2 × jobs} failures measured after {@code warmup} warm-up events on other jobs. */
    static void run(int jobs, int warmup, PrintStream out) throws Exception {
        Instant start = Instant.now().minus(Duration.ofHours(1));
        // The gateway logs each request at INFO: 2,000 lines of noise around the table (held: loggers are weak).
        java.util.logging.Logger requests = java.util.logging.Logger.getLogger(TableApiIncidentGateway.class.getName());
        java.util.logging.Level level = requests.getLevel();
        requests.setLevel(java.util.logging.Level.WARNING);
        Arrivals arrivals = new Arrivals(System::nanoTime);
        WireMockServer serviceNow = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .extensions(arrivals));
        serviceNow.start();
        try (Dynalite d = Dynalite.start(); var dynamo = d.client()) {
            stub(serviceNow);
            Catalog catalog = catalog();
            IncidentGateway gateway = new TableApiIncidentGateway(ServiceNowSettings.of(serviceNow.baseUrl(),
                    new Credentials.Basic("svc-jobwatch", "bench")).withTimeouts(Duration.ofSeconds(2),
                    Duration.ofSeconds(5)), Clock.systemUTC());
            List<String> events = events(jobs, start);
            // Warm the JVM up on other jobs (a warm container: SnapStart restores a primed one).
            inline(dynamo, catalog, gateway, arrivals, events(warmup / 2, start, "warm"), "warm-up");
            stream(dynamo, catalog, gateway, arrivals, events(warmup / 2, start, "warm-stream"), "warm-up");

            Sample after = inline(dynamo, catalog, gateway, arrivals, events, "inline");
            Sample streamed = stream(dynamo, catalog, gateway, arrivals, events, "stream");
            Sample before = before(events.size(), after.p(0.5));
            out.println(table(List.of(before, after, streamed), events.size()));
        } finally {
            serviceNow.stop();
            requests.setLevel(level);
        }
    }

    /** The Markdown table of the designs, with the goal and the platform's own latencies beside it. */
    static String table(List<Sample> samples, int events) {
        StringBuilder t = new StringBuilder();
        t.append("| alert latency: event into the ingest function → first ServiceNow request | p50 | p99 | max |"
                + " goal | note |\n|---|---:|---:|---:|---|---|\n");
        for (Sample s : samples) {
            boolean inline = s.design().startsWith("after, inline");
            t.append(String.format("| %s | %s | %s | %s | %s | %s |%n", s.design(), fmt(s.p(0.5)), fmt(s.p(0.99)),
                    fmt(s.p(1.0)), inline ? "p99 < 2 s: " + (s.p(0.99) < 2000 ? "**met**" : "**not met**") : "",
                    s.note()));
        }
        t.append("\nOn AWS the platform's hops come on top of every row (AWS's published figures):\n\n");
        t.append("| hop | figure | source |\n|---|---|---|\n");
        t.append("| EventBridge: the member account's event → the central bus → the rule's target invoked | typical"
                + " latency of about half a second; watch `IngestionToInvocationStartLatency` | AWS (EventBridge"
                + " launch material and guidance); the metric: EventBridge User Guide, monitoring |\n");
        t.append("| Lambda asynchronous invocation (`ingestMode=direct`): the event's wait in Lambda's queue | no"
                + " figure published; `AsyncEventAge` measures it (alarmed at 15 minutes) | AWS Lambda Developer"
                + " Guide, asynchronous invocation metrics |\n");
        t.append("| SQS (`ingestMode=queue`) | the stack's batching window, up to 5 s, then the poller's receive |"
                + " AWS Lambda Developer Guide, SQS event source (MaximumBatchingWindowInSeconds) |\n");
        t.append("| DynamoDB Stream → decision function (the stream design only) | Lambda polls each shard \"at a base"
                + " rate of 4 times per second\" (0–250 ms, included in its row); stream records appear \"in near-real"
                + " time\" (no figure; not included) | AWS Lambda Developer Guide, \"Using AWS Lambda with Amazon"
                + " DynamoDB\"; DynamoDB Developer Guide, \"Change data capture for DynamoDB Streams\" |\n");
        return t.toString();
    }

    private static String fmt(double ms) {
        if (Double.isNaN(ms)) {
            return "–";
        }
        return ms >= 60_000 ? String.format("%.1f min", ms / 60_000) : ms >= 1000 ? String.format("%.2f s", ms / 1000)
                : String.format("%.0f ms", ms);
    }

    private static void stub(WireMockServer wm) {
        wm.stubFor(WireMock.get(urlPathEqualTo(TABLE_API)).willReturn(okJson("{\"result\":[]}")));
        wm.stubFor(WireMock.post(urlPathEqualTo(TABLE_API)).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"result\":{\"sys_id\":\"b3c1a2d4e5f60718293a4b5c6d7e8f90\",\"number\":\"INC0040001\","
                        + "\"state\":\"1\"}}")));
        wm.stubFor(WireMock.patch(urlPathMatching(TABLE_API + "/.*")).willReturn(okJson("{\"result\":{\"sys_id\":"
                + "\"b3c1a2d4e5f60718293a4b5c6d7e8f90\",\"number\":\"INC0040001\",\"state\":\"2\"}}")));
    }

    static Catalog catalog() throws IOException {
        Path file = Bench.repoRoot().resolve("examples/jobwatch.yml");
        CatalogResult r = CatalogLoader.load(file.toString(), Files.readString(file));
        if (r instanceof CatalogResult.Invalid invalid) {
            throw new IllegalStateException("examples/jobwatch.yml is invalid: " + invalid.errors().get(0));
        }
        return ((CatalogResult.Loaded) r).catalog();
    }

    static List<String> events(int jobs, Instant start) throws IOException {
        return events(jobs, start, "bench-etl");
    }

    /**
     * {@code 2 × jobs} real Glue Job State Change FAILED envelopes (examples/events/glue-job/failed.json): every job's
     * first failure in the first half of the hour, its second in the second half, evenly spaced.
     */
    static List<String> events(int jobs, Instant start, String prefix) throws IOException {
        String sample = Files.readString(Bench.repoRoot().resolve("examples/events/glue-job/failed.json"));
        List<String> out = new ArrayList<>();
        int total = 2 * jobs;
        for (int i = 0; i < total; i++) {
            ObjectNode e = (ObjectNode) JSON.readTree(sample);
            int job = i % jobs;
            int failure = i / jobs;
            Instant at = start.plusMillis(3_600_000L * i / total);
            e.put("id", prefix + "-" + i);
            e.put("time", at.toString());
            ObjectNode detail = (ObjectNode) e.get("detail");
            detail.put("jobName", String.format("%s-%04d", prefix, job));
            detail.put("jobRunId", String.format("jr_%s_%04d_%d", prefix, job, failure));
            detail.put("state", "FAILED");
            out.add(JSON.writeValueAsString(e));
        }
        return out;
    }

    private static Env env(String table) {
        return Env.from(Map.of(Env.TABLE, table, Env.REGION, "us-east-1"));
    }

    private static String newTable(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo, String design) {
        String table = "alert-latency-" + design + "-" + System.nanoTime();
        DynamoRunStore.createTable(dynamo, table);
        return table;
    }

    /** The stack's design: the ingest handler stores, judges and sends. */
    static Sample inline(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo, Catalog catalog,
                         IncidentGateway gateway, Arrivals arrivals, List<String> events, String label)
            throws IOException {
        String table = newTable(dynamo, "inline");
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        IngestHandler ingest = new IngestHandler(env(table), catalog, dynamo, gateway, Clock.systemUTC(),
                new PrintStream(logged, true, StandardCharsets.UTF_8));
        List<Double> ms = new ArrayList<>();
        int actions = 0;
        for (String event : events) {
            long t0 = System.nanoTime();
            ingest.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                    OutputStream.nullOutputStream(), null);
            long first = arrivals.firstFrom(t0);
            if (first >= 0) {
                actions++;
                ms.add((first - t0) / 1e6);
            }
        }
        double[] own = logged.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("\"AlertLatency\":"))
                .mapToDouble(l -> Double.parseDouble(l.replaceAll(".*\"AlertLatency\":([0-9.]+)}.*", "$1")))
                .toArray();
        Sample own99 = new Sample("", own, 0, 0, "");
        return new Sample("after, inline in the ingest function (" + label + ")", ms.stream().mapToDouble(x -> x)
                .toArray(), events.size(), actions, String.format("%,d failures of %,d jobs over a simulated hour, one"
                + " invocation each, %,d actions (Open, then a work note); the function's own `AlertLatency` metric"
                + " (to the request's start, from the event's arrival): p50 %s, p99 %s", events.size(),
                events.size() / 2, actions, fmt(own99.p(0.5)), fmt(own99.p(0.99))));
    }

    /**
     * The stream design: the ingest handler stores only; the decision function judges the run the stream hands it
     * (its NEW_IMAGE: read here before the clock starts, the stream brings it for free) and sends.
     */
    static Sample stream(software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo, Catalog catalog,
                         IncidentGateway gateway, Arrivals arrivals, List<String> events, String label)
            throws IOException {
        String table = newTable(dynamo, "stream");
        Clock clock = Clock.systemUTC();
        RunStore store = new DynamoRunStore(dynamo, table, clock, RunStore.DEFAULT_RETENTION);
        DynamoIncidents incidents = new DynamoIncidents(dynamo, table, clock, RunStore.DEFAULT_RETENTION);
        IngestHandler ingest = new IngestHandler(store, new PrintStream(OutputStream.nullOutputStream()), clock);
        FinishedRuns judge = new FinishedRuns(() -> catalog, new IncidentTracker(new IncidentPolicy(clock), incidents,
                incidents, clock));
        OutboxProcessor sender = new OutboxProcessor(gateway, incidents, incidents, clock, RetryBackoff.defaults());
        Random poll = new Random(25);
        List<Double> ms = new ArrayList<>();
        List<Double> chainOnly = new ArrayList<>();
        int actions = 0;
        for (String event : events) {
            var detail = JSON.readTree(event).get("detail");
            RunKey key = new RunKey(new JobKey(JSON.readTree(event).get("account").asText(),
                    JSON.readTree(event).get("region").asText(), JobSource.GLUE_JOB, detail.get("jobName").asText()),
                    detail.get("jobRunId").asText());
            long t0 = System.nanoTime();
            ingest.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)),
                    OutputStream.nullOutputStream(), null);
            long t1 = System.nanoTime();
            Run run = store.get(key).orElseThrow(() -> new IllegalStateException("not stored: " + key));
            long t2 = System.nanoTime();
            IncidentDecision d = judge.judge(run, JSON.readTree(event).get("id").asText(), store);
            if (d.action() != null) {
                sender.sendDue(List.of(d.action().correlationId()), Instant.now().plusSeconds(20));
            }
            long first = arrivals.firstFrom(t2);
            if (first >= 0) {
                actions++;
                double chain = ((t1 - t0) + (first - t2)) / 1e6;
                chainOnly.add(chain);
                ms.add(chain + poll.nextDouble() * STREAM_POLL.toMillis());
            }
        }
        Sample chain = new Sample("", chainOnly.stream().mapToDouble(x -> x).toArray(), 0, 0, "");
        return new Sample("after, DynamoDB Stream → decision function (" + label + ")", ms.stream()
                .mapToDouble(x -> x).toArray(), events.size(), actions, String.format("the same %,d failures; the two"
                + " handlers measured (p50 %s, p99 %s) plus Lambda's stream polling, 0–250 ms; the stream's"
                + " propagation not included (not published)", events.size(), fmt(chain.p(0.5)), fmt(chain.p(0.99))));
    }

    /**
     * The 5-minute design, for events arriving evenly over an hour: each waits for the first scheduled run at least
     * {@link #SETTLE} after it (rate(5 minutes) from the hour), then the deciding and sending ({@code handlerMs}).
     */
    static Sample before(int events, double handlerMs) {
        double[] ms = new double[events];
        long hour = 3_600_000;
        long schedule = SCHEDULE.toMillis();
        for (int i = 0; i < events; i++) {
            long arrival = hour * i / events;
            long due = arrival + SETTLE.toMillis();
            long run = (due + schedule - 1) / schedule * schedule;
            ms[i] = run - arrival + handlerMs;
        }
        return new Sample("before: decided by the 5-minute function", ms, events, events, String.format("computed for"
                + " the same %,d arrival times: the first run of rate(5 minutes) at least 30 s after the run's last"
                + " update (GSI reads settle), + the inline chain's median for deciding and sending", events));
    }
}
