package io.jobwatch.core.catalog;

import java.util.Objects;
import java.util.Optional;

/**
 * An AWS account the catalog knows.
 *
 * @param id          12-digit account id
 * @param system      the system it belongs to (ERP, FinData, Analytics …)
 * @param environment prod, dev … when given
 */
public record Account(String id, String system, Optional<String> environment) {
    public Account {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(environment, "environment");
    }
}
