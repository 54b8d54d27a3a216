package io.jobwatch.notify;

import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.digest.Message;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The mail library's side of {@link SmtpChannel}, in a class of its own so that a deployment without the library (the
 * Lambda jars) can register the {@code smtp} type and load it only when an SMTP channel is opened.
 */
final class SmtpMail {
    private final SmtpSettings settings;
    private final String password;
    private final Session session;

    SmtpMail(SmtpSettings settings, String password) {
        this.settings = settings;
        this.password = password;
        String ms = Long.toString(settings.timeout().toMillis());
        Properties props = new Properties();
        props.setProperty("mail.smtp.host", settings.host());
        props.setProperty("mail.smtp.port", Integer.toString(settings.port()));
        props.setProperty("mail.smtp.connectiontimeout", ms);
        props.setProperty("mail.smtp.timeout", ms);
        props.setProperty("mail.smtp.writetimeout", ms);
        props.setProperty("mail.smtp.auth", Boolean.toString(settings.username() != null));
        if (settings.startTls() == SmtpSettings.StartTls.REQUIRED) {
            props.setProperty("mail.smtp.starttls.enable", "true");
            props.setProperty("mail.smtp.starttls.required", "true");
        }
        this.session = Session.getInstance(props);
    }

    /** Sends one e-mail once. */
    void deliver(Message message) throws DeliveryException {
        if (message.to().isEmpty()) {
            throw new DeliveryException("smtp", false, "no recipients for \"" + message.subject() + "\"", null);
        }
        MimeMessage mime;
        try {
            mime = toMime(message);
        } catch (AddressException e) {
            throw new DeliveryException("smtp", false, "bad address: " + e.getMessage(), e);
        } catch (MessagingException e) {
            throw new DeliveryException("smtp", false, "could not build the message: " + e.getMessage(), e);
        }
        try (Transport transport = session.getTransport("smtp")) {
            transport.connect(settings.host(), settings.port(), settings.username(), password);
            transport.sendMessage(mime, mime.getAllRecipients());
        } catch (AuthenticationFailedException e) {
            throw new DeliveryException("smtp", false, "authentication failed for user '" + settings.username() + "' at " + settings, e);
        } catch (SendFailedException e) {
            Address[] invalid = e.getInvalidAddresses();
            boolean permanent = invalid != null && invalid.length > 0;
            throw new DeliveryException("smtp", !permanent, "server refused the message at " + settings + ": " + e.getMessage(), e);
        } catch (MessagingException e) {
            // Connection refused, timeouts, 4xx replies: worth another try.
            throw new DeliveryException("smtp", true, "could not deliver via " + settings + ": " + e.getMessage(), e);
        }
    }

    private MimeMessage toMime(Message message) throws MessagingException {
        MimeMessage mime = new MimeMessage(session);
        mime.setFrom(new InternetAddress(message.from(), true));
        InternetAddress[] to = new InternetAddress[message.to().size()];
        for (int i = 0; i < to.length; i++) {
            to[i] = new InternetAddress(message.to().get(i), true);
        }
        mime.setRecipients(jakarta.mail.Message.RecipientType.TO, to);
        mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());

        MimeBodyPart text = new MimeBodyPart();
        text.setText(message.text(), StandardCharsets.UTF_8.name(), "plain");
        MimeBodyPart html = new MimeBodyPart();
        html.setText(message.html(), StandardCharsets.UTF_8.name(), "html");
        MimeMultipart alternative = new MimeMultipart("alternative");
        alternative.addBodyPart(text);
        alternative.addBodyPart(html);
        mime.setContent(alternative);
        mime.saveChanges();
        return mime;
    }
}
