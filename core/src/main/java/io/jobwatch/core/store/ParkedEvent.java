package io.jobwatch.core.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An input event the store did not apply (malformed, unsupported under --strict, or invalid for the run model),
 * kept with its reason so that someone can fix the producer and replay it.
 *
 * @param id       store-assigned id
 * @param parkedAt store clock when it was parked
 * @param source   where it came from, e.g. {@code events.json:3} or {@code http}
 * @param reason   why it was rejected, precise enough to fix it
 * @param raw      the raw event text (may be null when there was nothing readable), at most 256 KiB
 */
public record ParkedEvent(String id, Instant parkedAt, String source, String reason, String raw) {
    /** Raw text beyond this many bytes is cut: a parked event must fit one store item. */
    public static final int MAX_RAW_BYTES = 256 * 1024;

    public ParkedEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(parkedAt, "parkedAt");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
    }
}
