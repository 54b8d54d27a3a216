package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.ChannelSpec;
import java.util.List;

/**
 * A channel names a variable ({@code "${NAME}"}) that is not set where Jobwatch runs. Passing: once it is set (or
 * added to the channel secrets on AWS) the channel opens, so the outbox keeps its actions and tries again.
 */
public final class UnsetVariableException extends IllegalArgumentException {
    private final List<String> names;

    public UnsetVariableException(ChannelSpec spec, List<String> names) {
        super(spec.where() + ": the " + spec.type() + " channel needs " + String.join(", ", names.stream()
                .map(n -> "${" + n + "}").toList()) + ", which " + (names.size() == 1 ? "is" : "are") + " not set: set "
                + String.join(", ", names) + " where Jobwatch runs (on AWS: a key of the channel secrets, or the"
                + " function's environment)");
        this.names = List.copyOf(names);
    }

    /** The variables that are not set. */
    public List<String> names() {
        return names;
    }
}
