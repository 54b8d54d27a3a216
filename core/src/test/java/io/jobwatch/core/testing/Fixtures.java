package io.jobwatch.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.RunEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The real AWS event samples in examples/events, for tests of every module. */
public final class Fixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Fixtures() {
    }

    /** The repository root: the {@code jobwatch.repo} system property, else the first parent holding examples/events. */
    public static Path repoRoot() {
        String prop = System.getProperty("jobwatch.repo");
        if (prop != null && Files.isDirectory(Path.of(prop, "examples", "events"))) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            if (Files.isDirectory(p.resolve("examples/events"))) {
                return p;
            }
            p = p.getParent();
        }
        throw new IllegalStateException("examples/events not found above " + Path.of("").toAbsolutePath());
    }

    public static Path eventsDir() {
        return repoRoot().resolve("examples/events");
    }

    /** Every fixture file, sorted by path (e.g. {@code glue-job/failed.json}). */
    public static List<Path> eventFiles() {
        try (Stream<Path> s = Files.walk(eventsDir())) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One fixture by its path under examples/events, e.g. {@code "batch/failed.json"}. */
    public static ObjectNode event(String relative) {
        try {
            return (ObjectNode) MAPPER.readTree(eventsDir().resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One fixture normalized, e.g. {@code runEvent("step-functions/redriven-running.json")}. */
    public static RunEvent runEvent(String relative) {
        Normalization r = new EventNormalizer().normalize(event(relative));
        if (r instanceof Normalization.Normalized ok) {
            return ok.event();
        }
        throw new IllegalStateException(relative + " did not normalize: " + r);
    }

    /** One of examples/not-runs (real events of a followed type that are no job runs), e.g. {@code "batch-node-running.json"}. */
    public static ObjectNode notRun(String name) {
        try {
            return (ObjectNode) MAPPER.readTree(repoRoot().resolve("examples/not-runs").resolve(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fixture normalized, in file order. */
    public static List<RunEvent> runEvents() {
        EventNormalizer n = new EventNormalizer();
        return eventFiles().stream().map(f -> {
            Normalization r = n.normalize(read(f));
            if (r instanceof Normalization.Normalized ok) {
                return ok.event();
            }
            throw new IllegalStateException(f + " did not normalize: " + r);
        }).toList();
    }
}
