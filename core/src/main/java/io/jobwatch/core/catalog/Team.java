package io.jobwatch.core.catalog;

import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A team that owns jobs.
 *
 * @param name            the team's key in jobwatch.yml
 * @param recipients      digest recipients (email addresses), possibly none
 * @param assignmentGroup ServiceNow assignment group for its incidents
 * @param digestSchedule  when this team's digest goes out, overriding {@code digest.schedule}
 * @param timezone        the team's time zone (digest times, and expectations unless a rule sets its own)
 * @param channels        the team's channels ({@code channels:}), in order; empty: the environment's channel
 */
public record Team(String name, List<String> recipients, Optional<String> assignmentGroup,
                   Optional<Schedule> digestSchedule, ZoneId timezone, List<ChannelSpec> channels) {

    /** The owner of jobs that no rule and no default assigns to a team. */
    public static final String UNOWNED = "unowned";

    public Team {
        Objects.requireNonNull(name, "name");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(assignmentGroup, "assignmentGroup");
        Objects.requireNonNull(digestSchedule, "digestSchedule");
        Objects.requireNonNull(timezone, "timezone");
        channels = List.copyOf(channels);
    }

    /** A team whose digest goes wherever the environment's channel is (no {@code channels:} of its own). */
    public Team(String name, List<String> recipients, Optional<String> assignmentGroup,
                Optional<Schedule> digestSchedule, ZoneId timezone) {
        this(name, recipients, assignmentGroup, digestSchedule, timezone, List.of());
    }

    static Team unowned(ZoneId zone) {
        return new Team(UNOWNED, List.of(), Optional.empty(), Optional.empty(), zone);
    }
}
