package io.jobwatch.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelRegistry;
import io.jobwatch.core.channel.DigestSender;
import io.jobwatch.core.digest.DigestFixtures;
import jakarta.mail.internet.MimeMessage;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The standard channel types as the CLI, the local server and the Lambdas register them: the environment picks SMTP,
 * then SES, then SNS (an e-mail type only for a team with recipients); a team's own channels win; a digest goes out
 * through the type's factory end to end (GreenMail as the SMTP server).
 */
class StandardChannelsTest {
    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

    final ChannelRegistry registry = StandardChannels.registry(AwsSetup.defaults());

    static Team team(List<String> recipients, List<ChannelSpec> channels) {
        return new Team("fin-data-eng", recipients, Optional.empty(), Optional.empty(), ZoneOffset.UTC, channels);
    }

    @Test
    void theEnvironmentsChannel_isSmtpThenSesThenSns_andEmailNeedsRecipients() {
        Map<String, String> env = Map.of("JOBWATCH_SMTP_HOST", "mail.example.com", "JOBWATCH_SES_FROM", "jw@example.com",
                "JOBWATCH_SNS_TOPIC_ARN", "arn:aws:sns:eu-west-1:111122223333:digests");
        assertThat(registry.types()).containsExactly("smtp", "ses", "sns", "slack", "teams", "pagerduty", "webhook");
        assertThat(registry.forDigest(team(List.of("a@example.com"), List.of()), env)).singleElement()
                .satisfies(c -> assertThat(c.settings()).containsEntry("host", "mail.example.com").containsEntry("port", "25"));
        assertThat(registry.forDigest(team(List.of("a@example.com"), List.of()),
                Map.of("JOBWATCH_SES_FROM", "jw@example.com"))).extracting(ChannelSpec::type).containsExactly("ses");
        assertThat(registry.forDigest(team(List.of(), List.of()), env)).singleElement()
                .satisfies(c -> assertThat(c.settings()).containsEntry("topicArn", "arn:aws:sns:eu-west-1:111122223333:digests"));
        ChannelSpec own = new ChannelSpec("sns", Map.of("topicArn", "arn:aws:sns:eu-west-1:111122223333:fin"), "jobwatch.yml:9:9");
        assertThat(registry.forDigest(team(List.of("a@example.com"), List.of(own)), env)).containsExactly(own);
        // Only PagerDuty (which takes no digests): the environment's e-mail still carries the digest.
        ChannelSpec pd = new ChannelSpec("pagerduty", Map.of("routingKey", "${PD_KEY}"), "jobwatch.yml:10:9");
        assertThat(registry.forDigest(team(List.of("a@example.com"), List.of(pd)), env)).extracting(ChannelSpec::type)
                .containsExactly("smtp");
        // Slack gets a summary as well: the e-mail digest still goes (the environment's, or the team's own).
        ChannelSpec slack = new ChannelSpec("slack", Map.of("url", "${SLACK_URL}"), "jobwatch.yml:11:9");
        assertThat(registry.forDigest(team(List.of("a@example.com"), List.of(pd, slack)), env))
                .extracting(ChannelSpec::type).containsExactly("smtp", "slack");
        assertThat(registry.forDigest(team(List.of("a@example.com"), List.of(slack, own)), env)).containsExactly(own, slack);
        assertThat(registry.forDigest(team(List.of(), List.of(slack)), Map.of())).containsExactly(slack);
    }

    @Test
    void aDigestGoesOut_throughTheFactoryOfTheEnvironmentsChannel() throws Exception {
        Map<String, String> env = Map.of("JOBWATCH_SMTP_HOST", "127.0.0.1",
                "JOBWATCH_SMTP_PORT", Integer.toString(greenMail.getSmtp().getPort()));
        DigestSender sender = new DigestSender(registry, new ChannelContext(env, Clock.systemUTC(), null), d -> { }, null);

        DigestSender.Sent sent = sender.send(team(List.of("fin-data@example.com"), List.of()), DigestFixtures.digest(),
                Optional.of("jobwatch@example.com"));

        assertThat(sent.delivered()).as(sent.describe()).isTrue();
        assertThat(sent.describe()).isEqualTo("smtp smtp://127.0.0.1:" + greenMail.getSmtp().getPort() + ": sent");
        assertThat(greenMail.waitForIncomingEmail(5_000, 1)).isTrue();
        MimeMessage m = greenMail.getReceivedMessages()[0];
        assertThat(m.getSubject()).isEqualTo(DigestFixtures.digest().subject());
        assertThat(m.getFrom()[0].toString()).isEqualTo("jobwatch@example.com");
    }
}
