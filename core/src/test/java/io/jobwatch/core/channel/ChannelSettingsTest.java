package io.jobwatch.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.ChannelSpec;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChannelSettingsTest {
    static final String URL = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX";

    @Test
    void referencesAreLookedUp_andEveryValueFromOneIsMaskedWithItsName_alsoUrlEncoded() {
        ChannelSpec spec = new ChannelSpec("slack", Map.of("url", "${SLACK_ERP}", "channel", "#ops"), "w:1:1");
        ChannelSettings s = ChannelSettings.resolve(spec, Variables.of(Map.of("SLACK_ERP", URL)));
        assertThat(s.get("url")).isEqualTo(URL);
        assertThat(s.get("channel")).isEqualTo("#ops");
        assertThat(s.secret("url")).isTrue();
        assertThat(s.secret("channel")).isFalse();
        assertThat(s.shown("url")).isEqualTo("${SLACK_ERP}");
        assertThat(s.mask("POST " + URL + " failed; url=" + java.net.URLEncoder.encode(URL,
                java.nio.charset.StandardCharsets.UTF_8))).isEqualTo("POST ${SLACK_ERP} failed; url=${SLACK_ERP}");
        assertThat(s.mask(null)).isNull();
        assertThat(s.resolvedSpec().settings()).containsEntry("url", URL);
    }

    @Test
    void anUnsetReference_isListed_andHasNoValue() {
        ChannelSpec spec = new ChannelSpec("pagerduty", Map.of("routingKey", "${PD_KEY}", "url", "${PD_URL}"), "w:1:1");
        ChannelSettings s = ChannelSettings.resolve(spec, Variables.of(Map.of("PD_URL", "https://events.example")));
        assertThat(s.unset()).containsExactly("PD_KEY");
        assertThat(s.get("routingKey")).isNull();
        assertThat(s.shown("routingKey")).isEqualTo("${PD_KEY}");
    }

    @Test
    void theLongerSecretIsMaskedFirst_soOneInsideAnotherLeavesNoPiece() {
        ChannelSpec spec = new ChannelSpec("webhook", Map.of("url", "${HOOK_URL}", "secret", "${HOOK_SECRET}"), "w:1:1");
        ChannelSettings s = ChannelSettings.resolve(spec, Variables.of(Map.of("HOOK_URL",
                "https://ops.example.com/hook/abcdef123456", "HOOK_SECRET", "abcdef123456")));
        assertThat(s.mask("to https://ops.example.com/hook/abcdef123456 with abcdef123456"))
                .isEqualTo("to ${HOOK_URL} with ${HOOK_SECRET}");
    }
}
