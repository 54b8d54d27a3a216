package io.jobwatch.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.jobwatch.cli.Jobwatch;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.local.ApiKey;
import io.jobwatch.local.LocalApp;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mail channel is down when a digest is due: SMTP (GreenMail stopped, then started on the same port) for the
 * server's scheduled digests and for {@code jobwatch digest --send}, and Amazon SES v2 (WireMock answering 503, then
 * nothing listening) for {@code jobwatch digest --send}. Each failure is reported (log line and metric, or exit code 1
 * and the reason on stderr); the next attempt sends the digest, once.
 */
class DigestDeliveryFaultsTest {
    @RegisterExtension
    static WireMockExtension ses = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final Instant START = Instant.parse("2026-03-02T05:30:00Z");

    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static GreenMail smtp(int port) {
        GreenMail g = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        g.start();
        return g;
    }

    /** A simulated day (the day before the digests) as one JSON-lines body. */
    static byte[] dayBefore() throws Exception {
        StringBuilder b = new StringBuilder();
        for (Simulator.Delivery d : new Simulator(SimOptions.defaults()).simulate(LocalDate.of(2026, 3, 1), 1)) {
            b.append(MAPPER.writeValueAsString(d.event())).append('\n');
        }
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static Path catalog(Path dir) throws Exception {
        return Files.copy(StoreFixtures.repo().resolve("examples/jobwatch.yml"), dir.resolve("jobwatch.yml"));
    }

    static List<String> subjects(GreenMail g) throws Exception {
        List<String> out = new ArrayList<>();
        for (MimeMessage m : g.getReceivedMessages()) {
            out.add(m.getSubject() + " → " + String.join(",", List.of(m.getHeader("To"))));
        }
        return out;
    }

    @Test
    void serve_keepsADigestTheSmtpServerCouldNotTake_andSendsItOnceAtTheNextTick() throws Exception {
        int port = freePort();
        TestClock clock = new TestClock(START);
        List<String> log = new CopyOnWriteArrayList<>();
        try (LocalApp app = LocalApp.start(LocalApp.defaults(dir.resolve("jobwatch.db")).bind("127.0.0.1", 0)
                .clock(clock).catalogFile(catalog(dir)).scheduler(false).log(log::add)
                .env(Map.of(ApiKey.ENV, "digest-key-4b3c2d1e", "JOBWATCH_CHANNELS_DRY_RUN", "true", "JOBWATCH_SMTP_HOST", "127.0.0.1",
                        "JOBWATCH_SMTP_PORT", Integer.toString(port))))) {
            app.ingest().ingest(dayBefore(), "test");
            // 07:30: the 06:00 and 07:00 digests are due; nothing listens on the SMTP port.
            clock.advance(Duration.ofHours(2));
            app.work().tick(clock.instant());
            int due = app.work().undeliveredDigests();
            assertThat(due).isPositive();
            assertThat(log).filteredOn(l -> l.contains("not delivered, retried at the next tick")).hasSize(due);
            assertThat(app.metrics().count("jobwatch_digest_failures_total")).isEqualTo(due);

            GreenMail g = smtp(port);
            try {
                long up = System.nanoTime();
                clock.advance(Duration.ofMinutes(1));
                app.work().tick(clock.instant());
                long recoveryMs = (System.nanoTime() - up) / 1_000_000;
                clock.advance(Duration.ofMinutes(1));
                app.work().tick(clock.instant()); // and nothing goes out twice
                assertThat(app.work().undeliveredDigests()).isZero();
                List<String> received = subjects(g);
                // GreenMail keeps one copy per recipient: each digest (Message-ID) exactly once per recipient.
                Map<String, Integer> copies = new HashMap<>();
                Map<String, Integer> recipients = new HashMap<>();
                for (MimeMessage m : g.getReceivedMessages()) {
                    copies.merge(m.getMessageID(), 1, Integer::sum);
                    recipients.put(m.getMessageID(), m.getHeader("To")[0].split(",").length);
                }
                assertThat(copies).hasSize(due);
                assertThat(copies).isEqualTo(recipients);
                long digests = log.stream().filter(l -> l.contains("delivered on attempt 2")).count();
                assertThat(digests).isEqualTo(due);
                ReliabilityLedger.record(new ReliabilityLedger.Row("digest delivery", "SMTP down at digest time (serve)",
                        "the server's 06:00 and 07:00 digests fall due while nothing listens on the SMTP port; GreenMail "
                                + "is started on that port a minute later", due, digests, due - digests, recoveryMs,
                        due + " digests failed (logged \"not delivered, retried at the next tick\", "
                                + "jobwatch_digest_failures_total), were kept and went out at the next tick: "
                                + received.size() + " mails, one per recipient, no duplicate after a further tick"));
            } finally {
                g.stop();
            }
        }
    }

    /** Ingests the day before into a fresh SQLite file with the CLI (in-process) and returns the file. */
    Path store() throws Exception {
        Path events = Files.write(dir.resolve("day.jsonl"), dayBefore());
        Path db = dir.resolve("cli.db");
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), "ingest", "--db", db.toString(), "--config",
                catalog(dir).toString(), events.toString());
        assertThat(code).isZero();
        return db;
    }

    @Test
    void digestSend_exits1AndNamesTheFailure_whenSmtpIsDown_andTheNextRunSendsTheDigestOnce() throws Exception {
        Path db = store();
        int port = freePort();
        Map<String, String> env = Map.of("JOBWATCH_CHANNELS_DRY_RUN", "true", "JOBWATCH_SMTP_HOST", "127.0.0.1", "JOBWATCH_SMTP_PORT", Integer.toString(port));
        String[] args = {"digest", "--send", "--db", db.toString(), "--config", dir.resolve("jobwatch.yml").toString(),
                "--team", "erp-ops", "--at", "2026-03-02T07:00:00Z"};
        try (CliProcess down = CliProcess.start(dir, env, args)) {
            assertThat(down.await(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(down.err).anyMatch(l -> l.startsWith("jobwatch digest: erp-ops: not delivered: "));
        }
        GreenMail g = smtp(port);
        try (CliProcess up = CliProcess.start(dir, env, args)) {
            long t = System.nanoTime();
            assertThat(up.await(Duration.ofSeconds(60))).as("stderr: %s", up.err).isZero();
            long recoveryMs = (System.nanoTime() - t) / 1_000_000;
            assertThat(up.out).anyMatch(l -> l.startsWith("sent erp-ops: "));
            List<String> received = subjects(g);
            assertThat(received).hasSize(1);
            ReliabilityLedger.record(new ReliabilityLedger.Row("digest delivery", "SMTP down at digest time (jobwatch digest --send)",
                    "`jobwatch digest --send --team erp-ops` as a process while nothing listens on the SMTP port, then "
                            + "again after GreenMail started", 1, received.size(), 1 - received.size(), recoveryMs,
                    "first run: exit 1 and \"" + "jobwatch digest: erp-ops: not delivered: …\" on stderr (the digest "
                            + "is rebuilt from the store, nothing is lost); the next run (cron's retry) sent it once: "
                            + received.size() + " mail"));
        } finally {
            g.stop();
        }
    }

    @Test
    void digestSend_withSes_exits1On503AndOnNoConnection_andTheNextRunSendsTheDigestOnce() throws Exception {
        Path db = store();
        Map<String, String> env = new HashMap<>(Map.of("JOBWATCH_SES_FROM", "jobwatch@example.com",
                "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "AKIDRELIABILITY", "AWS_SECRET_ACCESS_KEY", "not-a-secret",
                "AWS_ENDPOINT_URL_SESV2", ses.baseUrl()));
        env.put("JOBWATCH_CHANNELS_DRY_RUN", "true"); // the example's erp-ops Slack and Teams summaries: dry run
        String[] args = {"digest", "--send", "--db", db.toString(), "--config", dir.resolve("jobwatch.yml").toString(),
                "--team", "erp-ops", "--at", "2026-03-02T07:00:00Z"};
        String path = "/v2/email/outbound-emails";
        ses.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(503)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Service Unavailable\"}")));
        try (CliProcess fails = CliProcess.start(dir, env, args)) {
            assertThat(fails.await(Duration.ofSeconds(60))).as("out %s err %s", fails.out, fails.err).isEqualTo(1);
            assertThat(fails.err).anyMatch(l -> l.startsWith("jobwatch digest: erp-ops: not delivered: ") && l.contains("503"));
        }
        Map<String, String> refused = new HashMap<>(env);
        refused.put("AWS_ENDPOINT_URL_SESV2", "http://127.0.0.1:" + freePort());
        try (CliProcess noConnection = CliProcess.start(dir, refused, args)) {
            assertThat(noConnection.await(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(noConnection.err).anyMatch(l -> l.startsWith("jobwatch digest: erp-ops: not delivered: "));
        }
        ses.resetAll();
        ses.stubFor(WireMock.post(urlPathEqualTo(path)).willReturn(okJson("{\"MessageId\":\"0100-reliability\"}")));
        try (CliProcess up = CliProcess.start(dir, env, args)) {
            long t = System.nanoTime();
            assertThat(up.await(Duration.ofSeconds(60))).as("stderr: %s", up.err).isZero();
            long recoveryMs = (System.nanoTime() - t) / 1_000_000;
            assertThat(up.out).anyMatch(l -> l.startsWith("sent erp-ops: "));
            List<ServeEvent> sent = ses.getAllServeEvents();
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).getRequest().getBodyAsString()).contains("erp-ops@example.com");
            ReliabilityLedger.record(new ReliabilityLedger.Row("digest delivery", "SES down at digest time (jobwatch digest --send)",
                    "`jobwatch digest --send --team erp-ops` with Amazon SES v2 (WireMock): SendEmail answered 503, then "
                            + "nothing listening on the endpoint, then 200", 1, sent.size(), 1 - sent.size(), recoveryMs,
                    "both failed runs: exit 1 and \"jobwatch digest: erp-ops: not delivered: …\" (the 503's code and "
                            + "status, or the connection error) on stderr; the next run sent it with exactly one "
                            + "SendEmail call"));
        }
    }
}
