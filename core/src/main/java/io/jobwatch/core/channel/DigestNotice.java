package io.jobwatch.core.channel;

import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.Message;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A team's digest, for its channels: e-mail channels send it as a {@link Message} (HTML and text), a topic or a chat
 * channel renders what it needs from the digest itself.
 *
 * @param digest     the digest
 * @param recipients the team's digest recipients from the catalog (e-mail channels need them)
 * @param from       the catalog's sender address ({@code digest.from}); empty: the channel's own (its environment's)
 */
public record DigestNotice(Digest digest, List<String> recipients, Optional<String> from) implements Notice {
    /** The sender when neither the catalog nor the channel names one. */
    public static final String DEFAULT_FROM = "jobwatch@localhost";

    public DigestNotice {
        Objects.requireNonNull(digest, "digest");
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(from, "from");
    }

    /** The digest as an e-mail from the catalog's sender, else {@code fallbackFrom}. */
    public Message message(String fallbackFrom) {
        return Message.ofDigest(digest, recipients, from.orElse(fallbackFrom != null ? fallbackFrom : DEFAULT_FROM));
    }
}
