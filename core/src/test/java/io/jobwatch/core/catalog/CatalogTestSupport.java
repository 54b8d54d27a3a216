package io.jobwatch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loading helpers for catalog tests. */
final class CatalogTestSupport {
    private CatalogTestSupport() {
    }

    static Catalog loaded(String yaml) {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", yaml);
        if (r instanceof CatalogResult.Invalid invalid) {
            fail("expected a valid catalog, got:\n" + String.join("\n", invalid.errors().stream().map(Object::toString).toList()));
        }
        return ((CatalogResult.Loaded) r).catalog();
    }

    static List<CatalogError> errors(String yaml) {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", yaml);
        assertThat(r).as("catalog should be invalid").isInstanceOf(CatalogResult.Invalid.class);
        return ((CatalogResult.Invalid) r).errors();
    }

    /** The single error of an invalid catalog. */
    static CatalogError error(String yaml) {
        List<CatalogError> errors = errors(yaml);
        assertThat(errors).as(errors.toString()).hasSize(1);
        return errors.get(0);
    }

    static Path repo() {
        String prop = System.getProperty("jobwatch.repo");
        if (prop != null && Files.isDirectory(Path.of(prop, "examples"))) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/events"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root not found");
        }
        return p;
    }

    static String example() throws IOException {
        return Files.readString(repo().resolve("examples/jobwatch.yml"));
    }
}
