package io.jobwatch.local;

import io.jobwatch.core.catalog.CatalogError;
import io.jobwatch.core.catalog.CatalogHolder;
import io.jobwatch.core.catalog.CatalogResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Hot reload of the catalog file: {@link #check()} (every few seconds) reads the file and, when its text changed,
 * loads it; a valid catalog replaces the one in force, an invalid or unreadable one is logged with its errors and the
 * old catalog stays. Comparing the text (not the modification time) also catches edits within the same second.
 */
public final class CatalogWatcher {
    /** What one check did. */
    public enum Result { UNCHANGED, RELOADED, INVALID, UNREADABLE }

    private final Path file;
    private final CatalogHolder holder;
    private final Metrics metrics;
    private final Consumer<String> log;
    private String lastText;

    /** @param loadedText the text the holder's current catalog was loaded from */
    public CatalogWatcher(Path file, String loadedText, CatalogHolder holder, Metrics metrics, Consumer<String> log) {
        this.file = Objects.requireNonNull(file, "file");
        this.holder = Objects.requireNonNull(holder, "holder");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.log = Objects.requireNonNull(log, "log");
        this.lastText = loadedText;
    }

    public synchronized Result check() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (lastText != null) {
                log.accept("catalog " + file + ": cannot read (" + e.getMessage() + "); keeping the catalog in force");
                lastText = null;
                metrics.inc("jobwatch_catalog_reloads_total{result=\"unreadable\"}", 1);
            }
            return Result.UNREADABLE;
        }
        if (text.equals(lastText)) {
            return Result.UNCHANGED;
        }
        lastText = text;
        CatalogResult result = holder.reload(file.toString(), text);
        if (result instanceof CatalogResult.Invalid invalid) {
            StringBuilder sb = new StringBuilder("catalog " + file + " changed but is invalid; keeping the catalog in force:");
            for (CatalogError e : invalid.errors()) {
                sb.append("\n  ").append(e);
            }
            log.accept(sb.toString());
            metrics.inc("jobwatch_catalog_reloads_total{result=\"invalid\"}", 1);
            return Result.INVALID;
        }
        log.accept("catalog " + file + " reloaded");
        metrics.inc("jobwatch_catalog_reloads_total{result=\"ok\"}", 1);
        return Result.RELOADED;
    }
}
