package io.jobwatch.core.incident;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link IncidentPolicy#decide}: maybe an action, the local record to save, and why.
 *
 * @param action what to send (append it to the outbox), or null for a no-op
 * @param record the incident record to save (also on some no-ops: counters move), or null when nothing changes
 * @param reason one line saying why, for logs and tests
 */
public record IncidentDecision(IncidentAction action, IncidentRecord record, String reason) {
    public IncidentDecision {
        Objects.requireNonNull(reason, "reason");
    }

    static IncidentDecision act(IncidentAction action, IncidentRecord record, String reason) {
        return new IncidentDecision(Objects.requireNonNull(action), Objects.requireNonNull(record), reason);
    }

    static IncidentDecision noOp(IncidentRecord record, String reason) {
        return new IncidentDecision(null, record, reason);
    }

    public Optional<IncidentAction> actionIfAny() {
        return Optional.ofNullable(action);
    }

    public Optional<IncidentRecord> recordToSave() {
        return Optional.ofNullable(record);
    }

    public boolean noOp() {
        return action == null;
    }
}
