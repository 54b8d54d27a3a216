package io.jobwatch.core.source;

import io.jobwatch.core.run.JobKey;
import java.util.Optional;

/**
 * A job's identity as the catalog overrides its source's rule (the catalog's {@code identity}: the raw name, or what a
 * pattern's named group {@code name} captures). Kept apart from the catalog so the normalizer needs no catalog.
 */
@FunctionalInterface
public interface IdentityOverride {
    /** No override: every source's own rule applies. */
    IdentityOverride NONE = (raw, bySource) -> Optional.empty();

    /**
     * @param raw      the job as the service named it (the name before any per-run suffix was stripped)
     * @param bySource the name the source's own rule gives
     * @return the overriding name, or empty to keep {@code bySource}
     */
    Optional<StableName> override(JobKey raw, StableName bySource);
}
