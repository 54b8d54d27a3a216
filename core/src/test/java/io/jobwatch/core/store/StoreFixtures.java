package io.jobwatch.core.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Events for store tests: the shared fixtures (examples/events) and small hand-made runs. */
public final class StoreFixtures {
    public static final JobKey GLUE = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "erp-orders-load");
    public static final JobKey SFN = new JobKey("234567890123", "eu-west-1", JobSource.STEP_FUNCTIONS, "fin-close");
    public static final JobKey CRAWLER = new JobKey("345678901234", "us-east-1", JobSource.GLUE_CRAWLER, "raw-crawler");
    public static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");

    private StoreFixtures() {
    }

    /** The repository root: system property jobwatch.repo (set by surefire), else the folder above holding examples/events. */
    public static Path repo() {
        String p = System.getProperty("jobwatch.repo");
        if (p != null && Files.isDirectory(Path.of(p, "examples/events"))) {
            return Path.of(p);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples/events"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("examples/events not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Every shared fixture, normalized, in file-name order. */
    public static List<RunEvent> sharedEvents() {
        ObjectMapper mapper = new ObjectMapper();
        EventNormalizer normalizer = new EventNormalizer();
        List<RunEvent> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(repo().resolve("examples/events"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".json")).sorted().toList()) {
                Normalization n = normalizer.normalize(mapper.readTree(f.toFile()));
                if (!(n instanceof Normalization.Normalized ok)) {
                    throw new IllegalStateException(f + " did not normalize: " + n);
                }
                out.add(ok.event());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public static RunEvent event(String id, JobKey job, String runId, RunState state, Instant time, Instant start,
                                 Instant end, String error) {
        return new RunEvent(id, job, runId, state, state.name(), time, start, end, error);
    }

    public static RunEvent running(String id, JobKey job, String runId, Instant start) {
        return event(id, job, runId, RunState.RUNNING, start, start, null, null);
    }

    public static RunEvent finished(String id, JobKey job, String runId, RunState state, Instant start, Instant end) {
        return event(id, job, runId, state, end, start, end, state.failed() ? "boom in " + runId : null);
    }

    /** The same event about a later attempt of its run (a redrive, a retry). */
    public static RunEvent attempt(RunEvent e, int attempt) {
        return new RunEvent(e.eventId(), e.job(), e.runId(), e.state(), e.sourceState(), e.eventTime(), e.startedAt(),
                e.endedAt(), e.error(), attempt, e.warning(), e.rawJobName(), e.notifyDelay());
    }

    /** The same event with a warning (a partial failure of a success). */
    public static RunEvent warned(RunEvent e, String warning) {
        return new RunEvent(e.eventId(), e.job(), e.runId(), e.state(), e.sourceState(), e.eventTime(), e.startedAt(),
                e.endedAt(), e.error(), e.attempt(), warning, e.rawJobName(), e.notifyDelay());
    }

    public static RunEvent crawlStarted(String id, JobKey crawler, Instant start) {
        return new RunEvent(id, crawler, crawler.jobName() + "@" + start, RunState.RUNNING, "Started", start, start,
                null, null);
    }

    public static RunEvent crawlEnded(String id, JobKey crawler, RunState state, Instant end) {
        return new RunEvent(id, crawler, null, state, state == RunState.SUCCEEDED ? "Succeeded" : "Failed", end,
                null, state == RunState.SUCCEEDED ? end : null, state.failed() ? "Internal Service Exception" : null);
    }
}
