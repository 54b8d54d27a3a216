package io.jobwatch.core.catalog;

import java.util.List;

/** What loading a catalog gave: a catalog, or every problem found in the file. */
public sealed interface CatalogResult permits CatalogResult.Loaded, CatalogResult.Invalid {

    record Loaded(Catalog catalog) implements CatalogResult {
    }

    /** @param errors in file order, never empty */
    record Invalid(List<CatalogError> errors) implements CatalogResult {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
