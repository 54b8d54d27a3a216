package io.jobwatch.notify;

import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.channel.Channel;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelFactory;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.channel.Notice;
import io.jobwatch.core.digest.Message;
import io.jobwatch.core.run.Text;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.PublishRequest;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code sns} channel: publishes the text version of a digest to an SNS topic, whose email subscribers receive it
 * (as the seed's Email Reporter did). Recipients are the topic's subscriptions, so the team needs none.
 * Catalog: {@code {type: sns, topicArn: arn:aws:sns:REGION:ACCOUNT:NAME}}; environment, for teams without channels:
 * {@code JOBWATCH_SNS_TOPIC_ARN}.
 * SNS limits: the subject must be ASCII without control characters and under 100 characters, the message at most
 * 256 KiB of UTF-8; both are fitted here rather than rejected by SNS.
 */
public final class SnsChannel implements Channel {
    /** The environment variable naming the topic. */
    public static final String ENV_TOPIC = "JOBWATCH_SNS_TOPIC_ARN";
    /** Subjects must be "less than 100 characters". */
    static final int MAX_SUBJECT_CHARS = 99;
    static final int MAX_MESSAGE_BYTES = 256 * 1024;

    private final SnsClient sns;
    private final String topicArn;

    /** The {@code sns} type, with SDK clients as {@code aws} builds them. */
    public static ChannelFactory factory(AwsSetup aws) {
        Objects.requireNonNull(aws, "aws");
        return new ChannelFactory() {
            @Override
            public String type() {
                return "sns";
            }

            @Override
            public Set<String> requiredSettings() {
                return Set.of("topicArn");
            }

            @Override
            public Optional<ChannelSpec> fromEnvironment(Map<String, String> env) {
                String topic = env.get(ENV_TOPIC);
                return topic == null || topic.isBlank() ? Optional.empty()
                        : Optional.of(ChannelSpec.fromEnvironment("sns", Map.of("topicArn", topic.trim())));
            }

            @Override
            public Channel open(ChannelSpec spec, ChannelContext context) {
                return new SnsChannel(aws.sns(context.env()), spec.setting("topicArn"));
            }
        };
    }

    /** @param sns a client, e.g. from {@link AwsSetup#sns}; the channel does not close it */
    public SnsChannel(SnsClient sns, String topicArn) {
        this.sns = Objects.requireNonNull(sns, "sns");
        if (topicArn == null || !topicArn.startsWith("arn:") || !topicArn.contains(":sns:")) {
            throw new IllegalArgumentException("SNS topic must be a topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), was: " + topicArn);
        }
        this.topicArn = topicArn;
    }

    @Override
    public String type() {
        return "sns";
    }

    @Override
    public String target() {
        return topicArn;
    }

    @Override
    public void send(Notice notice) throws DeliveryException {
        if (notice instanceof DigestNotice digest) {
            deliver(digest.message(null));
        }
    }

    /** Publishes one message's text once. */
    public void deliver(Message message) throws DeliveryException {
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
