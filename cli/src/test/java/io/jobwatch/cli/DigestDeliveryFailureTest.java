package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobwatch digest --send} when the mail server is down: retried, then reported (exit 1); the next digest sent
 * once the server is back says that the previous one could not be delivered — the outcome is kept beside the runs.
 */
class DigestDeliveryFailureTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    @Test
    void send_afterAFailedSend_notesThePreviousFailure_thenNotAnymore() throws Exception {
        Path db = SimulatedStore.create(dir.resolve("jobwatch.db"), LocalDate.parse("2026-03-02"), 1);
        int port = freePort();
        // The example's erp-ops also has Slack and Teams: their digest summaries go to the dry-run file here.
        Map<String, String> env = Map.of("JOBWATCH_SMTP_HOST", "127.0.0.1", "JOBWATCH_SMTP_PORT",
                Integer.toString(port), "JOBWATCH_CHANNELS_DRY_RUN", "true");
        List<Duration> waits = new ArrayList<>();
        String[] args = {"digest", "--send", "--team", "erp-ops", "--db", db.toString(),
                "--at", "2026-03-02T20:00:00Z", "--since", "6h"};

        GreenMail mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        mail.stop(); // the mail server is down
        Result failed = run(env, waits, args);
        assertThat(failed.code()).as(failed.out()).isEqualTo(1);
        assertThat(failed.err()).contains("erp-ops: not delivered");
        assertThat(waits).as("retried before reporting").hasSize(2);

        mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        try {
            Result sent = run(env, waits, args);
            assertThat(sent.code()).as(sent.err()).isZero();
            assertThat(mail.waitForIncomingEmail(5_000, 1)).isTrue();
            assertThat(text(mail.getReceivedMessages()[0]))
                    .contains("The previous digest could not be delivered");

            Result again = run(env, waits, args);
            assertThat(again.code()).as(again.err()).isZero();
            assertThat(mail.waitForIncomingEmail(5_000, 2)).isTrue();
            assertThat(text(mail.getReceivedMessages()[1]))
                    .as("the previous one was delivered").doesNotContain("The previous digest could not be delivered");
        } finally {
            mail.stop();
        }
    }

    private static Result run(Map<String, String> env, List<Duration> waits, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), env, waits::add, new PrintWriter(out),
                new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The decoded text/plain part of the digest mail. */
    private static String text(MimeMessage m) throws Exception {
        return (String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
