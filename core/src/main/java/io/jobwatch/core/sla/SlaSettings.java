package io.jobwatch.core.sla;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of learned expectations (declared ones come from the catalog).
 *
 * @param minHistory       runs (starts or successful durations) needed before anything is learned
 * @param durationFactor   a running run is too long past p95 of recent successful durations × this
 * @param minLongSlack     ... and at least this much past that p95 (short jobs jitter a lot relative to their length)
 * @param tooShortFraction a successful run shorter than the median of the others × this is too short
 * @param cadenceTolerance share of the median gap within which a gap counts as regular (0.2 = ±20%)
 * @param minRegular       share of gaps that must be regular before a cadence is learned
 */
public record SlaSettings(int minHistory, double durationFactor, Duration minLongSlack, double tooShortFraction,
                          double cadenceTolerance, double minRegular) {

    public SlaSettings {
        Objects.requireNonNull(minLongSlack, "minLongSlack");
        if (minHistory < 2) {
            throw new IllegalArgumentException("minHistory must be at least 2, was " + minHistory);
        }
        if (durationFactor < 1) {
            throw new IllegalArgumentException("durationFactor must be at least 1, was " + durationFactor);
        }
    }

    /** 5 runs of history; p95 × 3 (at least +10m) for too long; under 10% of the median for too short. */
    public static SlaSettings defaults() {
        return new SlaSettings(5, 3.0, Duration.ofMinutes(10), 0.1, 0.2, 0.6);
    }
}
