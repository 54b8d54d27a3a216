package io.jobwatch.notify;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.digest.DigestFixtures;
import io.jobwatch.core.digest.Message;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmtpChannelTest {
    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("jobwatch@example.com", "jobwatch", "s3cret"));

    private static final Message DIGEST = Message.ofDigest(DigestFixtures.digest(),
            List.of("fin-data@example.com", "fin-oncall@example.com"), "Jobwatch <jobwatch@example.com>");

    private int port() {
        return greenMail.getSmtp().getPort();
    }

    @Test
    void send_deliversMultipartAlternative_withTextAndHtmlParts_andTheSubject() throws Exception {
        new SmtpChannel(SmtpSettings.plain("127.0.0.1", port())).deliver(DIGEST);

        assertThat(greenMail.waitForIncomingEmail(5_000, 2)).isTrue(); // one copy per recipient mailbox
        MimeMessage received = greenMail.getReceivedMessages()[0];
        assertThat(received.getSubject()).isEqualTo("Jobwatch \u2014 FinData: 2 failing, 1 late, 41 ok (11:00)");
        assertThat(received.getFrom()[0].toString()).contains("jobwatch@example.com");
        assertThat(received.getAllRecipients()).extracting(Object::toString)
                .containsExactly("fin-data@example.com", "fin-oncall@example.com");
        assertThat(received.getContentType()).startsWith("multipart/alternative");

        MimeMultipart parts = (MimeMultipart) received.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        BodyPart text = parts.getBodyPart(0);
        BodyPart html = parts.getBodyPart(1);
        assertThat(text.getContentType()).startsWith("text/plain").containsIgnoringCase("charset=UTF-8");
        assertThat(html.getContentType()).startsWith("text/html").containsIgnoringCase("charset=UTF-8");
        assertThat((String) text.getContent()).contains("STILL FAILING (1)").contains("* fin-ledger-load");
        assertThat((String) html.getContent()).contains("Still failing (1)").contains("max-width:600px");
    }

    @Test
    void send_authenticates_withPasswordFromEnvironment() throws Exception {
        SmtpSettings settings = new SmtpSettings("127.0.0.1", port(), SmtpSettings.StartTls.NONE, "jobwatch",
                "JW_SMTP_PASSWORD", Duration.ofSeconds(5));
        new SmtpChannel(settings, Map.of("JW_SMTP_PASSWORD", "s3cret")::get, null).deliver(DIGEST);
        assertThat(greenMail.waitForIncomingEmail(5_000, 2)).isTrue();
    }

    @Test
    void send_failsPermanently_onWrongPassword_withoutSayingThePassword() {
        SmtpSettings settings = new SmtpSettings("127.0.0.1", port(), SmtpSettings.StartTls.NONE, "jobwatch",
                "JW_SMTP_PASSWORD", Duration.ofSeconds(5));
        SmtpChannel notifier = new SmtpChannel(settings, Map.of("JW_SMTP_PASSWORD", "wrong-pw")::get, null);
        assertThatThrownBy(() -> notifier.deliver(DIGEST))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).startsWith("smtp: authentication failed for user 'jobwatch'")
                            .doesNotContain("wrong-pw");
                });
    }

    @Test
    void create_failsClearly_whenPasswordVariableIsUnset() {
        SmtpSettings settings = new SmtpSettings("127.0.0.1", port(), SmtpSettings.StartTls.NONE, "jobwatch",
                "JW_SMTP_PASSWORD", Duration.ofSeconds(5));
        assertThatThrownBy(() -> new SmtpChannel(settings, name -> null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("environment variable JW_SMTP_PASSWORD is not set");
        assertThatThrownBy(() -> new SmtpSettings("h", 25, SmtpSettings.StartTls.NONE, "u", null, Duration.ofSeconds(1)))
                .hasMessageContaining("needs passwordEnv");
    }

    @Test
    void send_failsRetryably_whenServerIsDown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SmtpChannel notifier = new SmtpChannel(SmtpSettings.plain("127.0.0.1", closedPort));
        assertThatThrownBy(() -> notifier.deliver(DIGEST))
                .isInstanceOfSatisfying(DeliveryException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void send_refusesMessageWithoutRecipients() {
        Message none = new Message(List.of(), "jobwatch@example.com", "s", "<p>h</p>", "t");
        assertThatThrownBy(() -> new SmtpChannel(SmtpSettings.plain("127.0.0.1", port())).deliver(none))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("no recipients");
                });
    }
}
