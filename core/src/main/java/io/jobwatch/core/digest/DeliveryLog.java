package io.jobwatch.core.digest;

import java.time.Instant;
import java.util.Map;

/**
 * Remembers, per team, whether its last digest was delivered, so the next one can say that the previous one failed
 * ({@link Digest#previousDeliveryFailed()}). Adapters: SQLite (CLI, local server), DynamoDB (the digest Lambda's state
 * item, shared with the CLI on DynamoDB).
 */
public interface DeliveryLog {
    /** Whether the team's last recorded digest could not be delivered (false when none was recorded). */
    boolean previousFailed(String team);

    /** Records how sending the team's digest for the window ending at {@code windowEnd} went. */
    void record(String team, Instant windowEnd, boolean failed);

    /**
     * The end of the window of each team's last recorded digest (a scheduler that runs now and then — the digest
     * Lambda — works out from it which teams are due). One read for all teams.
     */
    Map<String, Instant> lastWindowEnds();
}
