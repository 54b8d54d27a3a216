package io.jobwatch.core.channel;

import io.jobwatch.core.time.Sleeper;
import java.time.Duration;
import java.util.Objects;

/**
 * Retries a {@link Channel} with exponential backoff (first, 2×first, 4×first …) on retryable failures, then reports
 * the last failure — still retryable, so a caller that tries again later (the local server's next tick) keeps it. The
 * caller records a final failure so the next digest can say the previous one failed. A service's Retry-After (a 429)
 * is honoured: the wait is at least what it asked, and when it asks for more than {@link #MAX_WAIT} the failure is
 * reported at once for the caller's later try rather than holding the process.
 */
public final class RetryingChannel implements Channel {
    /** The longest wait between two attempts inside one delivery. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final Channel delegate;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Sleeper sleeper;

    /**
     * @param maxAttempts  attempts in total, at least 1 (3 is a good default)
     * @param firstBackoff wait after the first failure (e.g. 2 s); doubles after each further failure
     */
    public RetryingChannel(Channel delegate, int maxAttempts, Duration firstBackoff, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.firstBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public String type() {
        return delegate.type();
    }

    @Override
    public String target() {
        return delegate.target();
    }

    @Override
    public void send(Notice notice) throws DeliveryException {
        Duration wait = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                delegate.send(notice);
                return;
            } catch (DeliveryException e) {
                if (!e.retryable()) {
                    throw e;
                }
                Duration asked = e.retryAfter().orElse(Duration.ZERO);
                if (attempt >= maxAttempts || asked.compareTo(MAX_WAIT) > 0) {
                    throw new DeliveryException(e.channel(), true, "gave up after " + attempt + " attempt"
                            + (attempt == 1 ? "" : "s") + ": " + e.detail(), e.status(), e.retryAfter().orElse(null),
                            e.responseBody(), e);
                }
                if (asked.compareTo(wait) > 0) {
                    wait = asked;
                }
            }
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new DeliveryException("retry", false, "interrupted while waiting to retry", ie);
            }
            wait = wait.multipliedBy(2);
        }
    }
}
