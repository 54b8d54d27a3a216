package io.jobwatch.core.incident;

import java.time.Instant;

/**
 * What a drain did.
 *
 * @param sent          actions delivered
 * @param retried       failed attempts that stay in the outbox for later
 * @param parked        actions parked for a human during this drain
 * @param pending       actions still PENDING afterwards
 * @param nextAttemptAt when the earliest remaining action is due, or null when none is pending
 */
public record DrainReport(int sent, int retried, int parked, int pending, Instant nextAttemptAt) {
    DrainReport plus(DrainReport later) {
        return new DrainReport(sent + later.sent, retried + later.retried, parked + later.parked, later.pending,
                later.nextAttemptAt);
    }
}
