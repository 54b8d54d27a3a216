package io.jobwatch.core.source;

import java.util.Objects;

/**
 * A job's stable name for the name the service wrote, as its source's identity rule gives it.
 *
 * @param name the stable name (the job's identity)
 * @param raw  the name as the service wrote it
 * @param why  how the name was found, for {@code config explain}: e.g. "the batch rule strips the per-run suffix
 *             '-1760707292' (an epoch time)"
 */
public record StableName(String name, String raw, String why) {
    public StableName {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(why, "why");
    }

    /** The name is stable as written. */
    public static StableName same(String raw, String why) {
        return new StableName(raw, raw, why);
    }

    public boolean stripped() {
        return !name.equals(raw);
    }
}
