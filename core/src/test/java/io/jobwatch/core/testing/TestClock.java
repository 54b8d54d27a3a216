package io.jobwatch.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** The one test clock: tests move it by hand instead of sleeping (shared via core's test-jar). */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;

    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Moves the clock forward (atomically: concurrent tests may advance it). */
    public void advance(Duration d) {
        now.updateAndGet(t -> t.plus(d));
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Stays UTC: the runs, the store and the schedules work in instants; zones are the catalog's business. */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
