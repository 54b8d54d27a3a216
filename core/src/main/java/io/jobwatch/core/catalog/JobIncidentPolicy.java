package io.jobwatch.core.catalog;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * When a job's problems become ServiceNow incidents, and how loud.
 *
 * @param enabled                          false: never open an incident for this job (digests still show it)
 * @param urgency                          ServiceNow urgency 1 (high) … 3 (low)
 * @param impact                           ServiceNow impact 1 (high) … 3 (low)
 * @param openAfterConsecutiveFailures     open after this many failed runs in a row (≥ 1, default 1)
 * @param failureRate                      also open when this share of the last runs failed (optional)
 * @param resolveAfterConsecutiveSuccesses resolve after this many successful runs in a row (≥ 1, default 1)
 * @param flapDampingWindow                a job that recovered and fails again within this window reopens (adds a
 *                                         note to) the same incident instead of opening a new one; zero: no damping
 * @param waitForRetries                   the service retries a failed run up to this many times (e.g. a Glue job's
 *                                         MaxRetries): a failed attempt up to it opens nothing (0: every failure counts)
 * @param openOnWarning                    {@code onWarning: open}: a run that succeeded with a warning counts as a
 *                                         failure for incidents (default {@code digest}: the digest lists it)
 */
public record JobIncidentPolicy(boolean enabled, int urgency, int impact, int openAfterConsecutiveFailures,
                             Optional<FailureRate> failureRate, int resolveAfterConsecutiveSuccesses,
                             Duration flapDampingWindow, int waitForRetries, boolean openOnWarning) {
    public JobIncidentPolicy {
        Objects.requireNonNull(failureRate, "failureRate");
        Objects.requireNonNull(flapDampingWindow, "flapDampingWindow");
    }

    /** Every failed attempt counts, warnings are digest only. */
    public JobIncidentPolicy(boolean enabled, int urgency, int impact, int openAfterConsecutiveFailures,
                             Optional<FailureRate> failureRate, int resolveAfterConsecutiveSuccesses,
                             Duration flapDampingWindow) {
        this(enabled, urgency, impact, openAfterConsecutiveFailures, failureRate, resolveAfterConsecutiveSuccesses,
                flapDampingWindow, 0, false);
    }

    /**
     * Open when at least {@code percent} % of the last {@code ofLastRuns} runs failed.
     *
     * @param percent    1–100
     * @param ofLastRuns window size in runs (≥ 1)
     */
    public record FailureRate(int percent, int ofLastRuns) {
    }
}
