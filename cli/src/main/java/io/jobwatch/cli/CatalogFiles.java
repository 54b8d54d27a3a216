package io.jobwatch.cli;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogError;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds and reads the catalog for the CLI: {@code --config FILE}, else {@code ./jobwatch.yml}, else the built-in example
 * (a build-time copy of examples/jobwatch.yml on the classpath).
 */
final class CatalogFiles {
    /** Classpath location of the built-in example. */
    static final String EXAMPLE_RESOURCE = "/examples/jobwatch.yml";
    static final String EXAMPLE_LABEL = "examples/jobwatch.yml";
    static final String DEFAULT_FILE = "jobwatch.yml";

    private CatalogFiles() {
    }

    /** The catalog's text, the label errors name it by, and whether it is the built-in example. */
    record Source(String label, String text, boolean builtIn) {
        /** The label, marked when it is the built-in copy. */
        String describe() {
            return builtIn ? label + " (built-in example)" : label;
        }
    }

    /** A loaded catalog and where it came from. */
    record Found(Catalog catalog, Source source) {
    }

    /** A file named on the command line that cannot be read; the message is ready to print. */
    static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    static Source read(String explicit) throws Unreadable {
        if (explicit != null) {
            return readFile(explicit);
        }
        if (Files.isRegularFile(Path.of(DEFAULT_FILE))) {
            return readFile(DEFAULT_FILE);
        }
        return new Source(EXAMPLE_LABEL, example(), true);
    }

    static String example() {
        try (InputStream in = CatalogFiles.class.getResourceAsStream(EXAMPLE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in example catalog is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Source readFile(String file) throws Unreadable {
        try {
            return new Source(file, Files.readString(Path.of(file), StandardCharsets.UTF_8), false);
        } catch (NoSuchFileException e) {
            throw new Unreadable(file + ": cannot read: no such file");
        } catch (IOException e) {
            throw new Unreadable(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Loads the catalog, or prints why not on {@code err} and returns null. */
    /**
     * The catalog a data command (ingest, serve) runs with: {@code --config FILE}, else {@code ./jobwatch.yml}, else
     * none — then every failure is incident-worthy, the seed's rule (the built-in example describes the demo's estate,
     * not the user's). Empty with the errors printed when the file is unreadable or invalid.
     */
    static Optional<Optional<Catalog>> loadUserCatalog(String explicit, PrintWriter err) {
        if (explicit == null && !Files.isRegularFile(Path.of(DEFAULT_FILE))) {
            return Optional.of(Optional.empty());
        }
        Found found = loadOrReport(explicit, err);
        return found == null ? Optional.empty() : Optional.of(Optional.of(found.catalog()));
    }

    static Found loadOrReport(String explicit, PrintWriter err) {
        Source source;
        try {
            source = read(explicit);
        } catch (Unreadable e) {
            err.println(e.getMessage());
            return null;
        }
        CatalogResult result = CatalogLoader.load(source.label(), source.text());
        if (result instanceof CatalogResult.Loaded loaded) {
            return new Found(loaded.catalog(), source);
        }
        report(source.label(), ((CatalogResult.Invalid) result), err);
        return null;
    }

    static void report(String label, CatalogResult.Invalid invalid, PrintWriter err) {
        for (CatalogError e : invalid.errors()) {
            err.println(e);
        }
        int n = invalid.errors().size();
        err.println(label + ": " + n + (n == 1 ? " error" : " errors"));
        err.flush();
    }
}
