package io.jobwatch.cli;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelRouter;
import io.jobwatch.core.incident.IncidentChannels;
import io.jobwatch.notify.AwsSetup;
import io.jobwatch.notify.StandardChannels;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * The teams' channels for incident actions (Slack, Teams, PagerDuty, webhooks), wired once for every command that
 * decides or sends incidents: the standard channel types, {@code "${NAME}"} settings looked up in the environment, and
 * the dry run ({@value ChannelContext#DRY_RUN_FILE} next to the store) when {@value ChannelContext#DRY_RUN_ENV} is
 * {@code true}. Without a catalog no team has channels.
 */
final class TeamChannels {
    private TeamChannels() {
    }

    static IncidentChannels of(Catalog catalog, Map<String, String> env, Path dataDir, Clock clock) {
        if (catalog == null) {
            return IncidentChannels.NONE;
        }
        return new ChannelRouter(() -> catalog, StandardChannels.registry(AwsSetup.defaults()),
                ChannelContext.local(env, clock, dataDir));
    }

    /** Every channel in dry run, writing to {@code file} (the demo). */
    static ChannelRouter dryRun(Catalog catalog, Map<String, String> env, Path file, Clock clock) {
        return new ChannelRouter(() -> catalog, StandardChannels.registry(AwsSetup.defaults()),
                new ChannelContext(env, clock, file.getParent()).dryRunTo(file));
    }
}
