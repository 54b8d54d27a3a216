package io.jobwatch.core.digest;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A half-open time window {@code [from, to)} a digest reports on.
 *
 * @param from first instant inside the window
 * @param to   first instant after the window (usually the scheduled time of this digest)
 */
public record DigestWindow(Instant from, Instant to) {
    public DigestWindow {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("digest window must end after it starts: [" + from + ", " + to + ")");
        }
    }

    /** The window of the given length that ends now: what {@code --since 6h} means. */
    public static DigestWindow endingAt(Instant to, Duration length) {
        return new DigestWindow(to.minus(length), to);
    }

    public boolean contains(Instant t) {
        return t != null && !t.isBefore(from) && t.isBefore(to);
    }

    public Duration length() {
        return Duration.between(from, to);
    }

    /** The window of the same length that ends where this one starts (for ad-hoc windows without a schedule). */
    public DigestWindow previous() {
        return new DigestWindow(from.minus(length()), from);
    }
}
