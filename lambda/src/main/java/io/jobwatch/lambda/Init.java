package io.jobwatch.lambda;

import io.jobwatch.core.catalog.Catalog;
import java.util.Map;

/**
 * What every handler reads at init: the environment, parsed ({@link Env}) and as it is (channels and handler settings
 * read their own variables from it), and, for those that need it, the catalog. The one place that reads
 * {@code System.getenv()}.
 */
record Init(Env env, Map<String, String> variables) {
    static Init fromEnvironment() {
        Map<String, String> variables = Map.copyOf(System.getenv());
        return new Init(Env.from(variables), variables);
    }

    Catalog catalog() {
        return CatalogFile.load(env.catalog());
    }
}
