package io.jobwatch.servicenow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** The documented Table API shapes in examples/servicenow. */
final class ServiceNowExamples {
    private ServiceNowExamples() {
    }

    static Path dir() {
        String repo = System.getProperty("jobwatch.repo");
        Path start = repo != null ? Paths.get(repo) : Paths.get("").toAbsolutePath();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples/servicenow"))) {
                return p.resolve("examples/servicenow");
            }
        }
        throw new IllegalStateException("examples/servicenow not found above " + start);
    }

    static String read(String name) {
        try {
            return Files.readString(dir().resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
