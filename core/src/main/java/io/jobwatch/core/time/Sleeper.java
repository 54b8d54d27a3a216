package io.jobwatch.core.time;

import java.time.Duration;

/**
 * Waits between attempts (the outbox's backoff, a channel's retries); injected so tests move a clock instead of
 * sleeping.
 */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** The real one. */
    static Sleeper threadSleep() {
        return d -> Thread.sleep(Math.max(0, d.toMillis()));
    }
}
