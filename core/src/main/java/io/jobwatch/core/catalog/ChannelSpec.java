package io.jobwatch.core.catalog;

import java.util.Map;
import java.util.Objects;

/**
 * One channel as the catalog (a team's {@code channels:} item) or the environment describes it.
 *
 * @param type     the channel type, a channel type of the deployment's channel registry (e.g. {@code ses})
 * @param settings its settings as written (e.g. {@code topicArn}); secrets are never written here, only the names of
 *                 the environment variables that hold them
 * @param where    where it was described, for errors: {@code jobwatch.yml:12:9}, or {@code environment}
 */
public record ChannelSpec(String type, Map<String, String> settings, String where) {
    public ChannelSpec {
        Objects.requireNonNull(type, "type");
        settings = Map.copyOf(settings);
        Objects.requireNonNull(where, "where");
    }

    /** A channel the environment configures. */
    public static ChannelSpec fromEnvironment(String type, Map<String, String> settings) {
        return new ChannelSpec(type, settings, "environment");
    }

    public String setting(String name) {
        return settings.get(name);
    }
}
