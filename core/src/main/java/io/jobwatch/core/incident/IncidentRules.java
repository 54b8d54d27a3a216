package io.jobwatch.core.incident;

import io.jobwatch.core.store.RecentRun;
import java.time.Duration;
import java.util.Objects;

/**
 * The incident settings of one job: exactly what {@link IncidentPolicy} needs, nothing of the catalog's format.
 * The lead maps the catalog's JobPolicy onto it (criticality by name, the incidents section field by field, the team's
 * ServiceNow assignment group, the account's system name).
 *
 * <p>{@link #defaults()} is the seed's behaviour without a catalog: every failure of every job is incident-worthy.
 *
 * @param enabled                          incidents on for this job
 * @param criticality                      the job's criticality
 * @param minimumCriticality               jobs less critical than this never open incidents (LOW = all jobs)
 * @param urgency                          ServiceNow urgency 1 (high) … 3 (low), or null to derive it from the criticality
 * @param impact                           ServiceNow impact 1 (high) … 3 (low), or null to derive it from the criticality
 * @param openAfterConsecutiveFailures     open when this many runs in a row failed (≥ 1; used when no failure rate is set)
 * @param failureRate                      for flaky jobs: open when the failure rate over the last runs is exceeded;
 *                                         when set it replaces the consecutive-failures threshold; or null
 * @param resolveAfterConsecutiveSuccesses resolve an open incident after this many successful runs in a row (≥ 1)
 * @param flapDampingWindow                a failure this soon after the job recovered reopens the resolved incident
 *                                         instead of opening a new one (zero = no damping)
 * @param assignmentGroup                  ServiceNow assignment group (sys_id, or name with display-value input), or null
 * @param system                           the system name for titles, e.g. "FinData", or null
 * @param waitForRetries                   the service retries a failed run this many times (a Glue job's MaxRetries):
 *                                         a failed attempt up to this number opens nothing, the run is "failed,
 *                                         retrying" until a later attempt ends (0: every failure counts)
 * @param openOnWarning                    a run that succeeded with a warning (a partial failure) counts as a failure
 *                                         (the catalog's {@code incident.onWarning: open}; default: digest only)
 */
public record IncidentRules(
        boolean enabled,
        Criticality criticality,
        Criticality minimumCriticality,
        Integer urgency,
        Integer impact,
        int openAfterConsecutiveFailures,
        FailureRate failureRate,
        int resolveAfterConsecutiveSuccesses,
        Duration flapDampingWindow,
        String assignmentGroup,
        String system,
        int waitForRetries,
        boolean openOnWarning) {

    /** Same names as the catalog's criticality, most critical first. */
    public enum Criticality {
        CRITICAL, HIGH, NORMAL, LOW;

        /** True when this is at least as critical as {@code other}. */
        public boolean atLeast(Criticality other) {
            return ordinal() <= other.ordinal();
        }

        /** Default ServiceNow urgency for this criticality (1 high … 3 low). */
        public int defaultUrgency() {
            return switch (this) {
                case CRITICAL, HIGH -> 1;
                case NORMAL -> 2;
                case LOW -> 3;
            };
        }

        /** Default ServiceNow impact for this criticality (1 high … 3 low). */
        public int defaultImpact() {
            return switch (this) {
                case CRITICAL -> 1;
                case HIGH, NORMAL -> 2;
                case LOW -> 3;
            };
        }
    }

    /**
     * Open when more than {@code percent}% of the last {@code lastRuns} terminal runs failed (STOPPED runs not counted;
     * when fewer runs are known the rate is taken over those).
     */
    public record FailureRate(int percent, int lastRuns) {
        public FailureRate {
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("failure rate percent must be 0..100, got " + percent);
            }
            if (lastRuns < 1) {
                throw new IllegalArgumentException("failure rate window must be at least 1 run, got " + lastRuns);
            }
        }
    }

    public static final Duration DEFAULT_FLAP_DAMPING_WINDOW = Duration.ofHours(1);

    public IncidentRules {
        Objects.requireNonNull(criticality, "criticality");
        Objects.requireNonNull(minimumCriticality, "minimumCriticality");
        Objects.requireNonNull(flapDampingWindow, "flapDampingWindow");
        checkLevel("urgency", urgency);
        checkLevel("impact", impact);
        if (openAfterConsecutiveFailures < 1) {
            throw new IllegalArgumentException("openAfterConsecutiveFailures must be at least 1, got " + openAfterConsecutiveFailures);
        }
        if (resolveAfterConsecutiveSuccesses < 1) {
            throw new IllegalArgumentException("resolveAfterConsecutiveSuccesses must be at least 1, got " + resolveAfterConsecutiveSuccesses);
        }
        if (waitForRetries < 0) {
            throw new IllegalArgumentException("waitForRetries must not be negative, got " + waitForRetries);
        }
        if (flapDampingWindow.isNegative()) {
            throw new IllegalArgumentException("flapDampingWindow must not be negative, got " + flapDampingWindow);
        }
    }

    /** Rules where every failed attempt counts and a warning is digest only. */
    public IncidentRules(boolean enabled, Criticality criticality, Criticality minimumCriticality, Integer urgency,
                         Integer impact, int openAfterConsecutiveFailures, FailureRate failureRate,
                         int resolveAfterConsecutiveSuccesses, Duration flapDampingWindow, String assignmentGroup,
                         String system) {
        this(enabled, criticality, minimumCriticality, urgency, impact, openAfterConsecutiveFailures, failureRate,
                resolveAfterConsecutiveSuccesses, flapDampingWindow, assignmentGroup, system, 0, false);
    }

    /** Whether a finished run counts as a failure under these rules (a retrying attempt does not, see below). */
    public boolean fails(RecentRun r) {
        return r.state().failed() ? !retrying(r)
                : openOnWarning && r.state() == io.jobwatch.core.run.RunState.SUCCEEDED && r.warning() != null;
    }

    /** Whether a failed run is an attempt the service will retry ({@link #waitForRetries}): it counts for nothing yet. */
    public boolean retrying(RecentRun r) {
        return r.state().failed() && r.attempt() <= waitForRetries;
    }

    public IncidentRules withRetriesAndWarnings(int retries, boolean onWarning) {
        return new IncidentRules(enabled, criticality, minimumCriticality, urgency, impact, openAfterConsecutiveFailures,
                failureRate, resolveAfterConsecutiveSuccesses, flapDampingWindow, assignmentGroup, system, retries,
                onWarning);
    }

    private static void checkLevel(String name, Integer level) {
        if (level != null && (level < 1 || level > 3)) {
            throw new IllegalArgumentException(name + " must be 1 (high), 2 (medium) or 3 (low), got " + level);
        }
    }

    /** Seed behaviour: incidents on, NORMAL job, every failure opens, the next success resolves, 1 h flap damping. */
    public static IncidentRules defaults() {
        return new IncidentRules(true, Criticality.NORMAL, Criticality.LOW, null, null, 1, null, 1,
                DEFAULT_FLAP_DAMPING_WINDOW, null, null);
    }

    public int effectiveUrgency() {
        return urgency != null ? urgency : criticality.defaultUrgency();
    }

    public int effectiveImpact() {
        return impact != null ? impact : criticality.defaultImpact();
    }

    public IncidentRules withEnabled(boolean v) {
        return new IncidentRules(v, criticality, minimumCriticality, urgency, impact, openAfterConsecutiveFailures,
                failureRate, resolveAfterConsecutiveSuccesses, flapDampingWindow, assignmentGroup, system, waitForRetries, openOnWarning);
    }

    public IncidentRules withCriticality(Criticality v, Criticality minimum) {
        return new IncidentRules(enabled, v, minimum, urgency, impact, openAfterConsecutiveFailures,
                failureRate, resolveAfterConsecutiveSuccesses, flapDampingWindow, assignmentGroup, system, waitForRetries, openOnWarning);
    }

    public IncidentRules withUrgencyImpact(Integer u, Integer i) {
        return new IncidentRules(enabled, criticality, minimumCriticality, u, i, openAfterConsecutiveFailures,
                failureRate, resolveAfterConsecutiveSuccesses, flapDampingWindow, assignmentGroup, system, waitForRetries, openOnWarning);
    }

    public IncidentRules withOpenAfterConsecutiveFailures(int v) {
        return new IncidentRules(enabled, criticality, minimumCriticality, urgency, impact, v,
                failureRate, resolveAfterConsecutiveSuccesses, flapDampingWindow, assignmentGroup, system, waitForRetries, openOnWarning);
    }

    public IncidentRules withFailureRate(FailureRate v) {
        return new IncidentRules(enabled, criticality, minimumCriticality, urgency, impact, openAfterConsecutiveFailures,
                v, resolveAfterConsecutiveSuccesses, flapDampingWindow, assignmentGroup, system, waitForRetries, openOnWarning);
    }

    public IncidentRules withResolveAfterConsecutiveSuccesses(int v) {
        return new IncidentRules(enabled, criticality, minimumCriticality, urgency, impact, openAfterConsecutiveFailures,
                failureRate, v, flapDampingWindow, assignmentGroup, system, waitForRetries, openOnWarning);
    }

    public IncidentRules withFlapDampingWindow(Duration v) {
        return new IncidentRules(enabled, criticality, minimumCriticality, urgency, impact, openAfterConsecutiveFailures,
                failureRate, resolveAfterConsecutiveSuccesses, v, assignmentGroup, system, waitForRetries, openOnWarning);
    }

    public IncidentRules withAssignmentGroup(String v) {
        return new IncidentRules(enabled, criticality, minimumCriticality, urgency, impact, openAfterConsecutiveFailures,
                failureRate, resolveAfterConsecutiveSuccesses, flapDampingWindow, v, system, waitForRetries, openOnWarning);
    }

    public IncidentRules withSystem(String v) {
        return new IncidentRules(enabled, criticality, minimumCriticality, urgency, impact, openAfterConsecutiveFailures,
                failureRate, resolveAfterConsecutiveSuccesses, flapDampingWindow, assignmentGroup, v, waitForRetries, openOnWarning);
    }
}
