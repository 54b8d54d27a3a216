package io.jobwatch.core.digest;

import java.time.Duration;
import java.util.Objects;

/**
 * Retries a {@link Notifier} with exponential backoff (first, 2×first, 4×first …) on retryable failures, then
 * reports the last failure. The caller records a final failure so the next digest can say the previous one failed.
 */
public final class RetryingNotifier implements Notifier {
    /** Waits between attempts; injected so tests do not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;

        Sleeper THREAD = d -> Thread.sleep(d.toMillis());
    }

    private final Notifier delegate;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Sleeper sleeper;

    /**
     * @param maxAttempts  attempts in total, at least 1 (3 is a good default)
     * @param firstBackoff wait after the first failure (e.g. 2 s); doubles after each further failure
     */
    public RetryingNotifier(Notifier delegate, int maxAttempts, Duration firstBackoff, Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.firstBackoff = Objects.requireNonNull(firstBackoff, "firstBackoff");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    @Override
    public void send(Message message) throws DeliveryException {
        Duration wait = firstBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                delegate.send(message);
                return;
            } catch (DeliveryException e) {
                if (!e.retryable()) {
                    throw e;
                }
                if (attempt >= maxAttempts) {
                    throw new DeliveryException(e.channel(), false,
                            "gave up after " + attempt + " attempts: " + e.detail(), e);
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
