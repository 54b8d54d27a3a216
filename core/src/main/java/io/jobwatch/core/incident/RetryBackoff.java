package io.jobwatch.core.incident;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: after the n-th failed attempt wait a random time in
 * [0, min(cap, base·2^(n-1))), but never less than {@code base}, so an outage is not hammered.
 *
 * @param base   first ceiling and the minimum wait
 * @param cap    largest ceiling
 * @param random source of uniform values in [0, 1) (injected so tests are deterministic)
 */
public record RetryBackoff(Duration base, Duration cap, DoubleSupplier random) {
    public RetryBackoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(cap, "cap");
        Objects.requireNonNull(random, "random");
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap, got base " + base + ", cap " + cap);
        }
    }

    /** 2 s base, 5 min cap, thread-local random. */
    public static RetryBackoff defaults() {
        return new RetryBackoff(Duration.ofSeconds(2), Duration.ofMinutes(5), () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The wait after {@code failedAttempts} (≥ 1) failed attempts. */
    public Duration delay(int failedAttempts) {
        int exponent = Math.min(Math.max(failedAttempts, 1) - 1, 30);
        long ceilingMillis = Math.min(cap.toMillis(), base.toMillis() << exponent);
        long jittered = (long) (random.getAsDouble() * ceilingMillis);
        return Duration.ofMillis(Math.max(base.toMillis(), jittered));
    }
}
