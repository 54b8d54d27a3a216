package io.jobwatch.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.store.StoreFixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * A week of Step Functions and Batch jobs as EventBridge delivers them (the shapes of {@code examples/events}: a
 * RUNNING and a terminal event per run), with the kinds of job health a team sees: healthy, flaky, broken at the end,
 * broken and recovered. Deterministic for a seed.
 */
final class JobWeek {
    static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Kind { HEALTHY, FLAKY, BROKEN_AT_THE_END, RECOVERED }

    /** One event: its raw JSON (one line) and when it happened. */
    record Event(String json, Instant time, String job, String runId, boolean terminal, boolean failed) {
    }

    private JobWeek() {
    }

    /**
     * {@code jobs} jobs (half Step Functions, half Batch) running every {@code every} for {@code days} days, events in
     * time order.
     */
    static List<Event> events(int jobs, Duration every, int days, long seed) {
        Random rnd = new Random(seed);
        JsonNode sfnRunning = fixture("step-functions/running.json");
        JsonNode sfnSucceeded = fixture("step-functions/succeeded.json");
        JsonNode sfnFailed = fixture("step-functions/failed.json");
        JsonNode batchRunning = fixture("batch/running.json");
        JsonNode batchSucceeded = fixture("batch/succeeded.json");
        JsonNode batchFailed = fixture("batch/failed.json");
        List<Event> out = new ArrayList<>();
        Instant end = START.plus(Duration.ofDays(days));
        for (int j = 0; j < jobs; j++) {
            boolean sfn = j % 2 == 0;
            Kind kind = Kind.values()[(j / 2) % Kind.values().length];
            String name = (sfn ? "sfn-" : "batch-") + kind.name().toLowerCase().replace('_', '-') + "-" + j;
            String account = String.format("%012d", 100000000000L + j % 3);
            Instant start = START.plusSeconds(60L * (j % 50) + rnd.nextInt(30));
            int i = 0;
            while (start.isBefore(end)) {
                double progress = Duration.between(START, start).toMillis() / (double) Duration.ofDays(days).toMillis();
                boolean failed = switch (kind) {
                    case HEALTHY -> false;
                    case FLAKY -> rnd.nextInt(4) == 0;
                    case BROKEN_AT_THE_END -> progress > 0.8;
                    case RECOVERED -> progress > 0.3 && progress < 0.5;
                };
                Instant stop = start.plusSeconds(120 + rnd.nextInt(900));
                String runId = name + "-" + i;
                if (sfn) {
                    out.add(sfn(sfnRunning, account, name, runId, "RUNNING", start, null, start));
                    out.add(sfn(failed ? sfnFailed : sfnSucceeded, account, name, runId, failed ? "FAILED" : "SUCCEEDED",
                            start, stop, stop));
                } else {
                    out.add(batch(batchRunning, account, name, runId, "RUNNING", start, null, start));
                    out.add(batch(failed ? batchFailed : batchSucceeded, account, name, runId,
                            failed ? "FAILED" : "SUCCEEDED", start, stop, stop));
                }
                start = start.plus(every);
                i++;
            }
        }
        out.sort((a, b) -> a.time().compareTo(b.time()));
        return out;
    }

    private static Event sfn(JsonNode template, String account, String machine, String runId, String status,
                             Instant start, Instant stop, Instant time) {
        ObjectNode e = envelope(template, account, time, runId + "/" + status);
        String arn = "arn:aws:states:us-east-1:" + account + ":execution:" + machine + ":" + runId;
        e.putArray("resources").add(arn);
        ObjectNode d = (ObjectNode) e.get("detail");
        d.put("executionArn", arn);
        d.put("stateMachineArn", "arn:aws:states:us-east-1:" + account + ":stateMachine:" + machine);
        d.put("name", runId);
        d.put("status", status);
        d.put("startDate", start.toEpochMilli());
        if (stop == null) {
            d.putNull("stopDate");
        } else {
            d.put("stopDate", stop.toEpochMilli());
        }
        return new Event(e.toString(), time, machine, runId, stop != null, "FAILED".equals(status));
    }

    private static Event batch(JsonNode template, String account, String jobName, String runId, String status,
                               Instant start, Instant stop, Instant time) {
        ObjectNode e = envelope(template, account, time, runId + "/" + status);
        String jobId = UUID.nameUUIDFromBytes(runId.getBytes(StandardCharsets.UTF_8)).toString();
        String arn = "arn:aws:batch:us-east-1:" + account + ":job/" + jobId;
        e.putArray("resources").add(arn);
        ObjectNode d = (ObjectNode) e.get("detail");
        d.put("jobArn", arn);
        d.put("jobName", jobName);
        d.put("jobId", jobId);
        d.put("status", status);
        d.put("createdAt", start.minusSeconds(20).toEpochMilli());
        if (stop != null) {
            d.put("startedAt", start.toEpochMilli());
            d.put("stoppedAt", stop.toEpochMilli());
        }
        return new Event(e.toString(), time, jobName, jobId, stop != null, "FAILED".equals(status));
    }

    private static ObjectNode envelope(JsonNode template, String account, Instant time, String eventKey) {
        ObjectNode e = template.deepCopy();
        e.put("id", UUID.nameUUIDFromBytes(eventKey.getBytes(StandardCharsets.UTF_8)).toString());
        e.put("account", account);
        e.put("time", time.toString());
        return e;
    }

    private static JsonNode fixture(String name) {
        try {
            return JSON.readTree(StoreFixtures.repo().resolve("examples/events").resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events as JSON lines in {@code file}. */
    static Path write(Path file, List<Event> events) {
        List<String> lines = new ArrayList<>(events.size());
        events.forEach(e -> lines.add(e.json()));
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Every event {@code copies} times, shuffled. */
    static List<Event> shuffled(List<Event> events, int copies, long seed) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            out.addAll(events);
        }
        Collections.shuffle(out, new Random(seed));
        return out;
    }
}
