package io.jobwatch.core.catalog;

import java.util.Locale;
import java.util.Optional;

/** How much a job matters; orders incidents and digests (most critical first). */
public enum Criticality {
    CRITICAL, HIGH, NORMAL, LOW;

    /** The word used in jobwatch.yml: critical, high, normal, low. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Criticality> byId(String id) {
        for (Criticality c : values()) {
            if (c.id().equals(id)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
