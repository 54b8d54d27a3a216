package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.ChannelSpec;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One channel type: its name, its settings, and how to open it. Each transport class carries its factory; a
 * deployment registers the factories it offers in a {@link ChannelRegistry}.
 */
public interface ChannelFactory {

    /** The type name the catalog writes, e.g. {@code smtp}. */
    String type();

    /** Settings a catalog item of this type must have. */
    default Set<String> requiredSettings() {
        return Set.of();
    }

    /** Settings it may have besides the required ones (anything else is a mistake the validation names). */
    default Set<String> optionalSettings() {
        return Set.of();
    }

    /**
     * Settings that hold a secret (a webhook URL with its token, a routing key, a signing secret): the catalog may
     * only name where they live, {@code "${NAME}"}; a value written out is refused as an inline secret.
     */
    default Set<String> secretSettings() {
        return Set.of();
    }

    /** Whether it sends digests. */
    default boolean takesDigests() {
        return true;
    }

    /**
     * Whether it sends a short summary of the digest (counts and the top items, a chat message) rather than the digest
     * itself: then it goes out <em>in addition to</em> the team's full digest (e-mail, SNS, files), never instead.
     */
    default boolean digestSummary() {
        return false;
    }

    /**
     * Whether it hears about incidents: every action decided for the team's jobs (open, update, resolve, reopen) goes
     * to it through the outbox, in order per incident, with retries.
     */
    default boolean takesIncidents() {
        return false;
    }

    /** Whether it delivers to the team's recipients (e-mail): then a team without recipients cannot use it. */
    default boolean needsRecipients() {
        return false;
    }

    /**
     * The channel the environment configures, for teams whose catalog entry names none (e.g. SMTP when
     * {@code JOBWATCH_SMTP_HOST} is set); empty when the environment does not configure this type.
     */
    default Optional<ChannelSpec> fromEnvironment(Map<String, String> env) {
        return Optional.empty();
    }

    /**
     * Opens the channel described by {@code spec} (already validated against the settings above).
     *
     * @throws IllegalArgumentException naming what is missing or wrong (a setting, an environment variable — never
     *                                  its secret value)
     */
    Channel open(ChannelSpec spec, ChannelContext context);

    /**
     * Opens the channel from its settings with the {@code "${NAME}"} references looked up — what the registry calls.
     * By default the looked-up values are handed to {@link #open(ChannelSpec, ChannelContext)}; a channel that holds
     * secrets overrides it to keep {@link ChannelSettings#mask} for everything it prints.
     */
    default Channel open(ChannelSettings settings, ChannelContext context) {
        return open(settings.resolvedSpec(), context);
    }
}
