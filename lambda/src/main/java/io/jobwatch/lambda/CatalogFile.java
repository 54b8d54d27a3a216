package io.jobwatch.lambda;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogError;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Loads the catalog packaged with the deployment, once, at init. A bad catalog stops the function loudly. */
final class CatalogFile {
    private CatalogFile() {
    }

    /**
     * @throws IllegalStateException with every problem of the file (file:line:column, key path, fix), or why it
     *                               could not be read
     */
    static Catalog load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the catalog " + file + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + "): package jobwatch.yml with the function (infra context 'catalog')"
                    + " or point " + Env.CATALOG + " at it", e);
        }
        CatalogResult result = CatalogLoader.load(file.toString(), text);
        if (result instanceof CatalogResult.Invalid invalid) {
            throw new IllegalStateException("the catalog " + file + " is invalid (" + invalid.errors().size()
                    + " problem" + (invalid.errors().size() == 1 ? "" : "s") + "):\n" + invalid.errors().stream()
                    .map(CatalogError::toString).collect(Collectors.joining("\n")));
        }
        return ((CatalogResult.Loaded) result).catalog();
    }
}
