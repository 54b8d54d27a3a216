package io.jobwatch.core.channel;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What a factory may use to open a channel, from the deployment that runs it.
 *
 * @param env     the process environment (secrets are read from here, by the names a spec gives)
 * @param clock   the deployment's clock
 * @param dataDir where a local deployment keeps its files, or null (Lambda)
 */
public record ChannelContext(Map<String, String> env, Clock clock, Path dataDir) {
    public ChannelContext {
        env = Map.copyOf(env);
        Objects.requireNonNull(clock, "clock");
    }
}
