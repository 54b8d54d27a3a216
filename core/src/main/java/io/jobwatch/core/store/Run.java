package io.jobwatch.core.store;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One run as the store knows it after folding all its events (in any arrival order).
 *
 * @param key           job + run id
 * @param state         current state: the first terminal state that arrived, else the furthest non-terminal one
 * @param sourceState   the service's own state name behind {@code state}
 * @param startedAt     the earliest start any event carried, or null if none did
 * @param endedAt       the end of the (winning) terminal event (its end time, else its event time); null while running
 * @param error         the service's error for a run that did not succeed (at most 4 KiB UTF-8), or null
 * @param notes         things worth knowing that did not change the state, e.g. a conflicting second terminal state
 * @param firstSeen     store clock when the first event of the run was applied
 * @param lastUpdated   store clock when an event (not a duplicate) was last applied; expiry counts from here
 * @param eventCount    distinct events applied (duplicates not counted)
 * @param lastEventTime the latest envelope time of those events
 * @param expiresAt     lastUpdated + retention: reads never return the run from this instant on
 * @param attempt       the run's current attempt (1 = the first): a higher attempt's events decide its state
 * @param warning       a partial failure of the winning terminal event (e.g. AppFlow records that failed), or null
 * @param rawJobName    the job name as the service wrote it when it differs from the job's stable name, or null
 * @param notifyDelay   the service's own "late" threshold when an event of the current attempt said the run passed
 *                      it (Glue Job Run Status), or null
 */
public record Run(
        RunKey key,
        RunState state,
        String sourceState,
        Instant startedAt,
        Instant endedAt,
        String error,
        List<String> notes,
        Instant firstSeen,
        Instant lastUpdated,
        int eventCount,
        Instant lastEventTime,
        Instant expiresAt,
        int attempt,
        String warning,
        String rawJobName,
        Duration notifyDelay) {

    public Run {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sourceState, "sourceState");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastUpdated, "lastUpdated");
        Objects.requireNonNull(lastEventTime, "lastEventTime");
        Objects.requireNonNull(expiresAt, "expiresAt");
        notes = notes == null ? List.of() : List.copyOf(notes);
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1, was " + attempt);
        }
        if (rawJobName != null && rawJobName.equals(key.job().jobName())) {
            rawJobName = null;
        }
    }

    /** A first-attempt run without warning, renamed job or late signal. */
    public Run(RunKey key, RunState state, String sourceState, Instant startedAt, Instant endedAt, String error,
               List<String> notes, Instant firstSeen, Instant lastUpdated, int eventCount, Instant lastEventTime,
               Instant expiresAt) {
        this(key, state, sourceState, startedAt, endedAt, error, notes, firstSeen, lastUpdated, eventCount,
                lastEventTime, expiresAt, 1, null, null, null);
    }

    /** The job name as the service wrote it. */
    public String serviceJobName() {
        return rawJobName != null ? rawJobName : key.job().jobName();
    }

    public JobKey job() {
        return key.job();
    }

    public String runId() {
        return key.runId();
    }

    public boolean terminal() {
        return state.terminal();
    }

    public boolean failed() {
        return state.failed();
    }

    /** End minus start when both are known. */
    public Optional<Duration> duration() {
        return startedAt != null && endedAt != null ? Optional.of(Duration.between(startedAt, endedAt)) : Optional.empty();
    }

    /** The time a run is listed and bucketed by: its start, else its end, else its latest event time. */
    public Instant sortTime() {
        return startedAt != null ? startedAt : endedAt != null ? endedAt : lastEventTime;
    }

    /** True once {@code now} has reached {@link #expiresAt()}: reads treat the run as gone. */
    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
