package io.jobwatch.core.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PingKeysTest {
    static final String FINANCE_KEY = "fin_Pk7vQ2xLr9ZsT4mW";
    static final String OPS_KEY = "ops-8TqLw2Zr5nVx1KcJ";

    static Catalog catalog() {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", """
                teams:
                  finance: {pingKey: "${JOBWATCH_PING_KEY_FINANCE}"}
                  ops: {pingKey: "${OPS_PING_KEY}"}
                  analytics: {pingKey: "${ANALYTICS_PING_KEY}"}
                  platform: {}
                """);
        return ((CatalogResult.Loaded) r).catalog();
    }

    static PingKeys keys(Map<String, String> env) {
        return PingKeys.resolve(catalog(), name -> Optional.ofNullable(env.get(name)));
    }

    @Test
    void team_isTheOneWhoseKeyItIs_andNoneForAnyOtherText() {
        PingKeys k = keys(Map.of("JOBWATCH_PING_KEY_FINANCE", FINANCE_KEY, "OPS_PING_KEY", OPS_KEY));
        assertThat(k.team(FINANCE_KEY)).contains("finance");
        assertThat(k.team(OPS_KEY)).contains("ops");
        assertThat(k.team(FINANCE_KEY.substring(1))).isEmpty();
        assertThat(k.team("")).isEmpty();
        assertThat(k.team(null)).isEmpty();
        assertThat(k.teams()).containsExactly("finance", "ops");
        assertThat(k.variable("finance")).contains("JOBWATCH_PING_KEY_FINANCE");
    }

    @Test
    void unsetShortOrSharedKeys_disableTheirTeams_sayingWhyWithoutPrintingAKey() {
        PingKeys k = keys(Map.of("JOBWATCH_PING_KEY_FINANCE", FINANCE_KEY, "OPS_PING_KEY", FINANCE_KEY,
                "ANALYTICS_PING_KEY", "short"));
        assertThat(k.teams()).isEmpty();
        assertThat(k.team(FINANCE_KEY)).isEmpty();
        assertThat(k.problems()).containsExactly(
                "teams finance and ops have the same ping key (JOBWATCH_PING_KEY_FINANCE, OPS_PING_KEY), so neither"
                        + " takes pings: give each team its own key",
                "team analytics: the value of ANALYTICS_PING_KEY is not a usable ping key (16 to 128 letters, digits,"
                        + " '-' or '_': it goes in the URL), so it takes no pings; generate one, e.g. head -c 24"
                        + " /dev/urandom | base64 | tr '+/' '-_'");
        assertThat(String.join("\n", k.problems())).doesNotContain(FINANCE_KEY).doesNotContain("short");
        assertThat(keys(Map.of()).problems()).hasSize(3).allMatch(p -> p.contains("is not set"));
    }
}
