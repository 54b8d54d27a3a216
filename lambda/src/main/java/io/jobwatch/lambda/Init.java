package io.jobwatch.lambda;

import io.jobwatch.core.catalog.Catalog;

/** What every handler reads at init: the environment (and, for those that need it, the catalog). */
record Init(Env env) {
    static Init fromEnvironment() {
        return new Init(Env.from(System.getenv()));
    }

    Catalog catalog() {
        return CatalogFile.load(env.catalog());
    }
}
