package io.jobwatch.core.digest;

import java.util.OptionalDouble;

/**
 * Finished runs in one window.
 *
 * @param runs      terminal runs that ended in the window
 * @param succeeded of those, SUCCEEDED
 * @param failed    of those, FAILED or TIMED_OUT (the rest were STOPPED on purpose)
 */
public record WindowCounts(int runs, int succeeded, int failed) {
    public static final WindowCounts NONE = new WindowCounts(0, 0, 0);

    public WindowCounts {
        if (runs < 0 || succeeded < 0 || failed < 0 || succeeded + failed > runs) {
            throw new IllegalArgumentException("inconsistent run counts: runs=" + runs + " succeeded=" + succeeded + " failed=" + failed);
        }
    }

    /** Runs stopped on purpose: neither success nor failure. */
    public int stopped() {
        return runs - succeeded - failed;
    }

    /** succeeded / (succeeded + failed) in percent; empty when nothing succeeded or failed (stopped runs don't count). */
    public OptionalDouble successRate() {
        int decided = succeeded + failed;
        return decided == 0 ? OptionalDouble.empty() : OptionalDouble.of(100.0 * succeeded / decided);
    }

    WindowCounts plus(WindowCounts o) {
        return new WindowCounts(runs + o.runs, succeeded + o.succeeded, failed + o.failed);
    }
}
