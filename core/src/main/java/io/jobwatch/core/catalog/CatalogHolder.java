package io.jobwatch.core.catalog;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The catalog in force, for long-running processes (local server, Lambda container): hot reload swaps in a new catalog
 * atomically when, and only when, the new text is valid. Readers call {@link #current()} per event or batch.
 */
public final class CatalogHolder {
    private final AtomicReference<Catalog> current;

    public CatalogHolder(Catalog initial) {
        this.current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    public Catalog current() {
        return current.get();
    }

    /**
     * Loads {@code yamlText}; a valid catalog replaces the current one, an invalid one is rejected and the current one
     * stays. Returns what loading gave either way.
     */
    public CatalogResult reload(String fileLabel, String yamlText) {
        CatalogResult result = CatalogLoader.load(fileLabel, yamlText);
        if (result instanceof CatalogResult.Loaded loaded) {
            current.set(loaded.catalog());
        }
        return result;
    }
}
