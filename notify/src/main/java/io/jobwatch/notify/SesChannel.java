package io.jobwatch.notify;

import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.channel.Channel;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelFactory;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.channel.Notice;
import io.jobwatch.core.digest.Message;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code ses} channel: a digest as an e-mail to the team's recipients with Amazon SES v2 SendEmail, "Simple"
 * content: subject, HTML body and text body, all UTF-8 (SES builds the multipart/alternative MIME message).
 *
 * <p>Catalog: {@code {type: ses, from: jobwatch@example.com}} (a verified sender; else the catalog's
 * {@code digest.from}, else {@code JOBWATCH_SES_FROM}). Environment, for teams without channels:
 * {@code JOBWATCH_SES_FROM}.
 */
public final class SesChannel implements Channel {
    /** The environment variable naming the verified sender. */
    public static final String ENV_FROM = "JOBWATCH_SES_FROM";
    private static final String UTF_8 = "UTF-8";
    private final SesV2Client ses;
    private final String from;

    /** The {@code ses} type, with SDK clients as {@code aws} builds them. */
    public static ChannelFactory factory(AwsSetup aws) {
        Objects.requireNonNull(aws, "aws");
        return new ChannelFactory() {
            @Override
            public String type() {
                return "ses";
            }

            @Override
            public Set<String> optionalSettings() {
                return Set.of("from");
            }

            @Override
            public boolean needsRecipients() {
                return true;
            }

            @Override
            public Optional<ChannelSpec> fromEnvironment(Map<String, String> env) {
                String from = env.get(ENV_FROM);
                return from == null || from.isBlank() ? Optional.empty()
                        : Optional.of(ChannelSpec.fromEnvironment("ses", Map.of("from", from.trim())));
            }

            @Override
            public Channel open(ChannelSpec spec, ChannelContext context) {
                String from = spec.setting("from") != null ? spec.setting("from") : context.env().get(ENV_FROM);
                return new SesChannel(aws.ses(context.env()), from);
            }
        };
    }

    /**
     * @param ses  a client, e.g. from {@link AwsSetup#ses}; the channel does not close it
     * @param from the sender when the catalog's digest section names none, or null
     */
    public SesChannel(SesV2Client ses, String from) {
        this.ses = Objects.requireNonNull(ses, "ses");
        this.from = from;
    }

    @Override
    public String type() {
        return "ses";
    }

    @Override
    public String target() {
        return "Amazon SES" + (from == null ? "" : " from " + from);
    }

    @Override
    public void send(Notice notice) throws DeliveryException {
        if (notice instanceof DigestNotice digest) {
            deliver(digest.message(from));
        }
    }

    /** Sends one e-mail once. */
    public void deliver(Message message) throws DeliveryException {
        if (message.to().isEmpty()) {
            throw new DeliveryException("ses", false, "no recipients for \"" + message.subject() + "\"", null);
        }
        SendEmailRequest request = SendEmailRequest.builder()
                .fromEmailAddress(message.from())
                .destination(Destination.builder().toAddresses(message.to()).build())
                .content(EmailContent.builder().simple(software.amazon.awssdk.services.sesv2.model.Message.builder()
                        .subject(utf8(message.subject()))
                        .body(Body.builder().html(utf8(message.html())).text(utf8(message.text())).build())
                        .build()).build())
                .build();
        try {
            ses.sendEmail(request);
        } catch (SdkException e) {
            throw AwsFailures.of("ses", e);
        }
    }

    private static Content utf8(String data) {
        return Content.builder().data(data).charset(UTF_8).build();
    }
}
