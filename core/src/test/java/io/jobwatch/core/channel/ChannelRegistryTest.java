package io.jobwatch.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.DeliveryLog;
import io.jobwatch.core.digest.DigestFixtures;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one rule that picks a team's digest channels (catalog, then environment, then the deployment's fallback), the
 * validation of the catalog's channels, and the digest sender that records the outcome.
 */
class ChannelRegistryTest {
    static final Map<String, String> NO_ENV = Map.of();

    /** A channel type that records what it sends; configured by the environment variable {@code ENV_<TYPE>}. */
    static class Recording implements ChannelFactory {
        final String type;
        final boolean email;
        final Set<String> required;
        final List<String> sent = new ArrayList<>();
        boolean failing;

        Recording(String type, boolean email, Set<String> required) {
            this.type = type;
            this.email = email;
            this.required = required;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Set<String> requiredSettings() {
            return required;
        }

        @Override
        public Set<String> optionalSettings() {
            return Set.of("from");
        }

        @Override
        public boolean needsRecipients() {
            return email;
        }

        @Override
        public Optional<ChannelSpec> fromEnvironment(Map<String, String> env) {
            String v = env.get("ENV_" + type.toUpperCase());
            return v == null ? Optional.empty() : Optional.of(ChannelSpec.fromEnvironment(type, Map.of("value", v)));
        }

        @Override
        public Channel open(ChannelSpec spec, ChannelContext context) {
            return new Channel() {
                @Override
                public String type() {
                    return type;
                }

                @Override
                public String target() {
                    return type + "-target";
                }

                @Override
                public void send(Notice notice) throws DeliveryException {
                    if (failing) {
                        throw new DeliveryException(type, false, "refused", null);
                    }
                    sent.add(((DigestNotice) notice).digest().subject() + " -> " + spec.settings());
                }
            };
        }
    }

    final Recording smtp = new Recording("smtp", true, Set.of());
    final Recording ses = new Recording("ses", true, Set.of());
    final Recording sns = new Recording("sns", false, Set.of("topicArn"));
    final Recording file = new Recording("file", false, Set.of());

    ChannelRegistry registry(ChannelSpec fallback) {
        return new ChannelRegistry(List.of(smtp, ses, sns, file), fallback);
    }

    static Team team(List<String> recipients, List<ChannelSpec> channels) {
        return new Team("erp-ops", recipients, Optional.empty(), Optional.empty(), ZoneOffset.UTC, channels);
    }

    @Test
    void theEnvironmentIsAskedInRegistrationOrder_andAnEmailTypeNeedsRecipients() {
        ChannelRegistry r = registry(null);
        Map<String, String> all = Map.of("ENV_SMTP", "h", "ENV_SES", "f", "ENV_SNS", "t");
        assertThat(r.forDigest(team(List.of("a@x.com"), List.of()), all)).extracting(ChannelSpec::type).containsExactly("smtp");
        assertThat(r.forDigest(team(List.of("a@x.com"), List.of()), Map.of("ENV_SES", "f", "ENV_SNS", "t")))
                .extracting(ChannelSpec::type).containsExactly("ses");
        assertThat(r.forDigest(team(List.of(), List.of()), all)).as("no recipients: not e-mail")
                .extracting(ChannelSpec::type).containsExactly("sns");
        assertThat(r.forDigest(team(List.of(), List.of()), Map.of("ENV_SMTP", "h"))).isEmpty();
    }

    @Test
    void theTeamsCatalogChannels_comeFirst_andTheFallbackLast() {
        ChannelSpec own = new ChannelSpec("sns", Map.of("topicArn", "arn:aws:sns:eu-west-1:1:erp"), "jobwatch.yml:9:11");
        ChannelSpec fallback = new ChannelSpec("file", Map.of(), "the local server");
        ChannelRegistry r = registry(fallback);
        assertThat(r.forDigest(team(List.of("a@x.com"), List.of(own)), Map.of("ENV_SMTP", "h"))).containsExactly(own);
        assertThat(r.forDigest(team(List.of("a@x.com"), List.of()), NO_ENV)).containsExactly(fallback);
    }

    @Test
    void problems_nameTheItemsPlace_unknownTypes_missingAndUnknownSettings_andEmailWithoutRecipients() {
        CatalogResult result = CatalogLoader.load("jobwatch.yml", """
                version: 1
                teams:
                  erp-ops:
                    channels:
                      - {type: slak, url: "x"}
                      - {type: sns, topic: "x"}
                      - {type: smtp}
                """);
        assertThat(result).isInstanceOf(CatalogResult.Loaded.class);
        Catalog catalog = ((CatalogResult.Loaded) result).catalog();
        assertThat(registry(null).problems(catalog)).containsExactly(
                "jobwatch.yml:5:9: teams.erp-ops.channels: unknown channel type 'slak' — use one of smtp, ses, sns, file",
                "jobwatch.yml:6:9: teams.erp-ops.channels: sns needs 'topicArn'",
                "jobwatch.yml:6:9: teams.erp-ops.channels: sns has no setting 'topic' — its settings: from, topicArn",
                "jobwatch.yml:7:9: teams.erp-ops.channels: smtp sends e-mail, but the team has no recipients");
        assertThatThrownBy(() -> registry(null).open(catalog.teams().get("erp-ops").channels().get(0),
                new ChannelContext(NO_ENV, Clock.systemUTC(), null), d -> { }))
                .hasMessageContaining("jobwatch.yml:5:9: unknown channel type 'slak'");
    }

    @Test
    void sender_sendsToEachChannelOnce_andRecordsWhetherTheDigestWentOut() {
        Map<String, Boolean> recorded = new LinkedHashMap<>();
        DeliveryLog log = new DeliveryLog() {
            @Override
            public boolean previousFailed(String team) {
                return Boolean.TRUE.equals(recorded.get(team));
            }

            @Override
            public void record(String team, Instant windowEnd, boolean failed) {
                recorded.put(team, failed);
            }

            @Override
            public Map<String, Instant> lastWindowEnds() {
                return Map.of();
            }
        };
        DigestSender sender = new DigestSender(registry(null),
                new ChannelContext(Map.of("ENV_SNS", "arn:t"), Clock.systemUTC(), null), d -> { }, log);
        Team team = team(List.of(), List.of());

        DigestSender.Sent sent = sender.send(team, DigestFixtures.digest(), Optional.empty());

        assertThat(sent.delivered()).isTrue();
        assertThat(sent.describe()).isEqualTo("sns sns-target: sent");
        assertThat(sns.sent).singleElement().asString().endsWith("-> {value=arn:t}");
        assertThat(sender.previousFailed("erp-ops")).isFalse();

        sns.failing = true;
        DigestSender.Sent failed = sender.send(team, DigestFixtures.digest(), Optional.empty());
        assertThat(failed.delivered()).isFalse();
        assertThat(failed.describe()).isEqualTo("sns sns-target: sns: refused");
        assertThat(sender.previousFailed("erp-ops")).isTrue();

        DigestSender none = new DigestSender(registry(null), new ChannelContext(NO_ENV, Clock.systemUTC(), null),
                d -> { }, log);
        assertThat(none.send(team, DigestFixtures.digest(), Optional.empty()).noChannel()).isTrue();
    }

    static Catalog catalog(String yaml) {
        CatalogResult result = CatalogLoader.load("jobwatch.yml", yaml);
        assertThat(result).isInstanceOf(CatalogResult.Loaded.class);
        return ((CatalogResult.Loaded) result).catalog();
    }

    @Test
    void aSecretWrittenOut_isRefusedWithoutEchoingIt_andAReferenceMustBeTheWholeValue() {
        Catalog c = catalog("""
                version: 1
                teams:
                  erp-ops:
                    channels:
                      - {type: chat, url: "https://hooks.example.com/services/T0/B0/XXXXsecretXXXX"}
                      - {type: chat, url: "https://hooks.example.com/${TOKEN}"}
                      - {type: chat, url: "${CHAT_ERP}"}
                """);
        List<String> problems = new ChannelRegistry(List.of(new FakeChatChannels()), null).problems(c);
        assertThat(problems).containsExactly(
                "jobwatch.yml:5:9: teams.erp-ops.channels: chat url: inline secret — jobwatch.yml must not hold it;"
                        + " write url: \"${JOBWATCH_ERP_OPS_CHAT_URL}\" and set that variable where Jobwatch runs (on"
                        + " AWS: a key of the channel secrets)",
                "jobwatch.yml:6:9: teams.erp-ops.channels: chat url: a reference must be the whole value, \"${NAME}\""
                        + " (letters, digits and _), e.g. url: \"${JOBWATCH_ERP_OPS_CHAT_URL}\"");
        assertThat(problems.toString()).doesNotContain("XXXXsecretXXXX");
    }

    @Test
    void unset_namesEachUnsetVariableWithFileLineColumn_neverAValue() {
        Catalog c = catalog("""
                version: 1
                teams:
                  erp-ops:
                    channels:
                      - {type: chat, url: "${CHAT_ERP}"}
                  fin-ops:
                    channels:
                      - {type: chat, url: "${CHAT_FIN}"}
                """);
        ChannelRegistry r = new ChannelRegistry(List.of(new FakeChatChannels()), null);
        assertThat(r.unset(c, Variables.of(Map.of("CHAT_ERP", "https://chat.example/erp-secret")))).containsExactly(
                "jobwatch.yml:8:9: teams.fin-ops.channels: chat url: ${CHAT_FIN} is not set — set CHAT_FIN where"
                        + " Jobwatch runs (on AWS: a key of the channel secrets, or the function's environment)");
        assertThat(r.unset(c, Variables.of(Map.of("CHAT_ERP", "a", "CHAT_FIN", "b")))).isEmpty();
        assertThatThrownBy(() -> r.openOnce(c.teams().get("fin-ops").channels().get(0),
                new ChannelContext(Map.of(), Clock.systemUTC(), null)))
                .isInstanceOf(UnsetVariableException.class)
                .hasMessageStartingWith("jobwatch.yml:8:9: the chat channel needs ${CHAT_FIN}, which is not set");
    }

    @Test
    void incidentChannels_areTheTeamsChannelsThatTakeIncidents_namedByTeamAndType() {
        Team t = team(List.of("a@x.com"), List.of(new ChannelSpec("smtp", Map.of(), "w:1:1"),
                new ChannelSpec("chat", Map.of("url", "${A}"), "w:2:1"), new ChannelSpec("chat", Map.of("url", "${B}"),
                        "w:3:1")));
        ChannelRegistry r = new ChannelRegistry(List.of(smtp, new FakeChatChannels()), null);
        assertThat(r.incidentChannels(t)).extracting(ChannelRegistry.Destination::name)
                .containsExactly("erp-ops/chat", "erp-ops/chat#2");
    }

    @Test
    void aTeamWhoseChannelsTakeNoDigests_stillGetsTheEnvironmentsDigestChannel() {
        Recording pager = new Recording("pager", false, Set.of()) {
            @Override
            public boolean takesDigests() {
                return false;
            }
        };
        ChannelRegistry r = new ChannelRegistry(List.of(smtp, pager), null);
        Team onlyPaging = team(List.of("a@x.com"), List.of(new ChannelSpec("pager", Map.of(), "w:1:1")));
        assertThat(r.forDigest(onlyPaging, Map.of("ENV_SMTP", "h"))).extracting(ChannelSpec::type)
                .containsExactly("smtp");
        Team withMail = team(List.of("a@x.com"), List.of(new ChannelSpec("pager", Map.of(), "w:1:1"),
                new ChannelSpec("smtp", Map.of(), "w:2:1")));
        assertThat(r.forDigest(withMail, Map.of())).extracting(ChannelSpec::type).containsExactly("smtp");
    }

    @Test
    void aChatChannel_getsTheDigestSummaryInAdditionToTheFullDigest_neverInsteadOfIt() {
        Recording chat = new Recording("chat", false, Set.of()) {
            @Override
            public boolean digestSummary() {
                return true;
            }
        };
        ChannelRegistry r = new ChannelRegistry(List.of(smtp, chat), null);
        ChannelSpec chatSpec = new ChannelSpec("chat", Map.of(), "w:1:1");
        assertThat(r.forDigest(team(List.of("a@x.com"), List.of(chatSpec)), Map.of("ENV_SMTP", "h")))
                .extracting(ChannelSpec::type).containsExactly("smtp", "chat");
        assertThat(r.forDigest(team(List.of(), List.of(chatSpec)), Map.of("ENV_SMTP", "h")))
                .as("no recipients: the summary alone").containsExactly(chatSpec);
        ChannelSpec ownMail = new ChannelSpec("smtp", Map.of(), "w:2:1");
        assertThat(r.forDigest(team(List.of("a@x.com"), List.of(chatSpec, ownMail)), Map.of()))
                .containsExactly(ownMail, chatSpec);
    }
}
