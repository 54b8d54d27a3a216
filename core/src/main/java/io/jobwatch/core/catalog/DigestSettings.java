package io.jobwatch.core.catalog;

import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * When digests go out and from whom.
 *
 * @param schedule    default schedule (a team's {@code digestSchedule} overrides it); default cron(0 7 * * ? *)
 * @param timezone    zone of the schedule (a team's timezone applies to its own digest); default UTC
 * @param fromAddress sender address
 */
public record DigestSettings(Schedule schedule, ZoneId timezone, Optional<String> fromAddress) {
    public DigestSettings {
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(timezone, "timezone");
        Objects.requireNonNull(fromAddress, "fromAddress");
    }
}
