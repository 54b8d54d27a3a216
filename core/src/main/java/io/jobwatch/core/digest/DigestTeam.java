package io.jobwatch.core.digest;

import java.time.ZoneId;
import java.util.Objects;

/**
 * The team a digest is for, as far as the digest itself needs it (recipients are the notifier's business).
 *
 * @param name team name from the catalog
 * @param zone the team's time zone: all times in the digest are shown in it
 */
public record DigestTeam(String name, ZoneId zone) {
    public DigestTeam {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
    }
}
