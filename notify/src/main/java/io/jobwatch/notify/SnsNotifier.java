package io.jobwatch.notify;

import io.jobwatch.core.digest.DeliveryException;
import io.jobwatch.core.digest.Message;
import io.jobwatch.core.digest.Notifier;
import io.jobwatch.core.run.Text;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

import java.util.Objects;

/**
 * Publishes the text version of a message to an SNS topic, whose email subscribers receive it (as the seed's
 * Email Reporter did). Recipients are the topic's subscriptions, so {@link Message#to()} is not used.
 * SNS limits: the subject must be ASCII without control characters and under 100 characters, the message at most
 * 256 KiB of UTF-8; both are fitted here rather than rejected by SNS.
 */
public final class SnsNotifier implements Notifier {
    /** Subjects must be "less than 100 characters". */
    static final int MAX_SUBJECT_CHARS = 99;
    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private final SnsClient sns;
    private final String topicArn;

    /** @param sns a client, e.g. from {@link AwsClients#sns}; the notifier does not close it */
    public SnsNotifier(SnsClient sns, String topicArn) {
        this.sns = Objects.requireNonNull(sns, "sns");
        if (topicArn == null || !topicArn.startsWith("arn:") || !topicArn.contains(":sns:")) {
            throw new IllegalArgumentException("SNS topic must be a topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), was: " + topicArn);
        }
        this.topicArn = topicArn;
    }

    @Override
    public void send(Message message) throws DeliveryException {
        String text = message.text();
        String fitted = Text.truncateUtf8(text, MAX_MESSAGE_BYTES);
        try {
            sns.publish(PublishRequest.builder()
                    .topicArn(topicArn)
                    .subject(subject(message.subject()))
                    .message(fitted)
                    .build());
        } catch (SdkException e) {
            throw AwsFailures.of("sns", e);
        }
    }

    /** ASCII only ("—" becomes "-", other non-ASCII "?"), one line, at most {@value #MAX_SUBJECT_CHARS} characters. */
    static String subject(String subject) {
        StringBuilder b = new StringBuilder(subject.length());
        for (int i = 0; i < subject.length(); ) {
            int cp = subject.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\u2014' || cp == '\u2013') {
                b.append('-');
            } else if (cp < 0x20 || cp == 0x7f) {
                b.append(' ');
            } else if (cp < 0x80) {
                b.append((char) cp);
            } else {
                b.append('?');
            }
        }
        String s = b.toString().strip();
        return s.length() <= MAX_SUBJECT_CHARS ? s : s.substring(0, MAX_SUBJECT_CHARS - 3) + "...";
    }
}
