package io.jobwatch.notify;

import io.jobwatch.core.digest.DeliveryException;
import io.jobwatch.core.digest.Message;
import io.jobwatch.core.digest.Notifier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.Body;
import software.amazon.awssdk.services.sesv2.model.Content;
import software.amazon.awssdk.services.sesv2.model.Destination;
import software.amazon.awssdk.services.sesv2.model.EmailContent;
import software.amazon.awssdk.services.sesv2.model.SendEmailRequest;

import java.util.Objects;

/**
 * Sends a message with Amazon SES v2 SendEmail, "Simple" content: subject, HTML body and text body, all UTF-8
 * (SES builds the multipart/alternative MIME message).
 */
public final class SesNotifier implements Notifier {
    private static final String UTF_8 = "UTF-8";
    private final SesV2Client ses;

    /** @param ses a client, e.g. from {@link AwsClients#ses}; the notifier does not close it */
    public SesNotifier(SesV2Client ses) {
        this.ses = Objects.requireNonNull(ses, "ses");
    }

    @Override
    public void send(Message message) throws DeliveryException {
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
