package io.jobwatch.core.digest;

import java.util.List;
import java.util.Objects;

/**
 * One message to deliver: a digest rendered twice. SMTP and SES send both bodies (multipart/alternative);
 * SNS publishes the text body to its topic (subscribers are managed on the topic, so {@code to} may be empty).
 *
 * @param to      recipient addresses (the team's digest recipients from the catalog)
 * @param from    sender address
 * @param subject subject line
 * @param html    HTML body
 * @param text    plain-text body
 */
public record Message(List<String> to, String from, String subject, String html, String text) {
    public Message {
        to = List.copyOf(Objects.requireNonNull(to, "to"));
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(text, "text");
    }

    /** The digest as a message: its subject, {@link HtmlDigestRenderer} and {@link TextDigestRenderer} bodies. */
    public static Message ofDigest(Digest digest, List<String> to, String from) {
        return new Message(to, from, digest.subject(), new HtmlDigestRenderer().render(digest),
                new TextDigestRenderer().render(digest));
    }
}
