package io.jobwatch.core.channel;

import java.util.Map;
import java.util.Optional;

/**
 * Where a catalog's {@code ${NAME}} references are looked up: the process environment locally; on AWS the channel
 * secrets in Secrets Manager first, then the function's environment. Values are secrets: never print them.
 */
@FunctionalInterface
public interface Variables {

    /** The value of {@code name}; empty when unset or blank. */
    Optional<String> get(String name);

    /** The variables of an environment map. */
    static Variables of(Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(env);
        return name -> {
            String v = copy.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
        };
    }
}
