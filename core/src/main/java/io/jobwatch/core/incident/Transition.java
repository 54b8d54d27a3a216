package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;

import java.time.Instant;
import java.util.Objects;

/**
 * One recorded step in a job's health for one problem kind: the input of every incident decision.
 * A <em>flip</em> is a step that changes the health (healthy → failing, failing → healthy); a repeat failure is a
 * step FAILING → FAILING and leads to a work note, not a new incident.
 *
 * <p>For {@link ProblemKind#FAILURE} the lead creates one transition per run that has just become terminal (the run
 * store's ApplyResult says the previous state was not terminal), see {@link #ofRun}. SLA kinds use FAILING for
 * "breached" and HEALTHY for "back within the SLA", with a null run id when no run exists.
 *
 * @param job      the job
 * @param kind     the problem kind this step is about
 * @param from     health before the step
 * @param to       health after the step
 * @param runId    the run that caused the step, or null (SLA breach without a run)
 * @param runState the run's terminal state, or null for SLA steps
 * @param eventId  the EventBridge event id that carried it, or null
 * @param error    the run's error message or the SLA breach detail (bounded by the run model), or null
 * @param at       when it happened (the run's end or event time), used for flap damping
 */
public record Transition(JobKey job, ProblemKind kind, Health from, Health to, String runId, RunState runState,
                         String eventId, String error, Instant at) {
    public Transition {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(at, "at");
        if (to == Health.UNKNOWN) {
            throw new IllegalArgumentException("a transition must end HEALTHY or FAILING, not UNKNOWN");
        }
    }

    /** The step a terminal run makes for {@link ProblemKind#FAILURE}; {@code before} is the job's health before it. */
    public static Transition ofRun(JobKey job, Health before, String runId, RunState state, String eventId, String error,
                                   Instant at) {
        if (!state.terminal()) {
            throw new IllegalArgumentException("only a terminal run makes a transition, got " + state);
        }
        Health after = Health.after(state, before);
        if (after == Health.UNKNOWN) {
            after = Health.HEALTHY; // a job whose first run was stopped on purpose is not failing
        }
        return new Transition(job, ProblemKind.FAILURE, before, after, runId, state, eventId, error, at);
    }

    /** True when the health changes (UNKNOWN counts as HEALTHY). */
    public boolean flip() {
        Health f = from == Health.UNKNOWN ? Health.HEALTHY : from;
        return f != to;
    }

    public boolean failing() {
        return to == Health.FAILING;
    }
}
