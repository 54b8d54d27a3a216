package io.jobwatch.core.incident;

import java.time.Duration;

/** Waits; injected so tests move a clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;

    /** The real one. */
    static Sleeper threadSleep() {
        return d -> Thread.sleep(Math.max(0, d.toMillis()));
    }
}
