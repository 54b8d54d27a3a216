package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.ChannelSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a factory may use to open a channel, from the deployment that runs it.
 *
 * @param env       the process environment (settings the environment configures are read from here)
 * @param clock     the deployment's clock
 * @param dataDir   where a local deployment keeps its files, or null (Lambda)
 * @param variables where the catalog's {@code ${NAME}} references are looked up (the environment; on AWS the channel
 *                  secrets first)
 * @param dryRun    the file where channels that talk HTTP write, one JSON line per request, what they would send
 *                  instead of sending it (secrets masked); null: send for real
 */
public record ChannelContext(Map<String, String> env, Clock clock, Path dataDir, Variables variables, Path dryRun) {
    /** The dry-run file's name, next to the store (beside ServiceNow's {@code incidents-dry-run.jsonl}). */
    public static final String DRY_RUN_FILE = "channels-dry-run.jsonl";
    /** Set to {@code true} to have the HTTP channels write what they would send instead of sending it. */
    public static final String DRY_RUN_ENV = "JOBWATCH_CHANNELS_DRY_RUN";

    public ChannelContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(variables, "variables");
    }

    /** References looked up in {@code env}; sending for real. */
    public ChannelContext(Map<String, String> env, Clock clock, Path dataDir) {
        this(env, clock, dataDir, Variables.of(env), null);
    }

    /**
     * A local deployment's context: references looked up in {@code env}, and the dry run on when
     * {@value #DRY_RUN_ENV} is {@code true} (then {@value #DRY_RUN_FILE} in {@code dataDir}).
     */
    public static ChannelContext local(Map<String, String> env, Clock clock, Path dataDir) {
        boolean dry = "true".equalsIgnoreCase(String.valueOf(env.get(DRY_RUN_ENV)).strip());
        return new ChannelContext(env, clock, dataDir, Variables.of(env),
                dry && dataDir != null ? dataDir.resolve(DRY_RUN_FILE) : null);
    }

    /** The same context, writing what it would send to {@code file} instead of sending. */
    public ChannelContext dryRunTo(Path file) {
        return new ChannelContext(env, clock, dataDir, variables, Objects.requireNonNull(file, "file"));
    }

    public boolean dryRunning() {
        return dryRun != null;
    }

    /** The spec's settings with references looked up. */
    public ChannelSettings settings(ChannelSpec spec) {
        return ChannelSettings.resolve(spec, variables);
    }
}
