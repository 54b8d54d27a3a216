package io.jobwatch.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration at init: environment variables and the packaged catalog; mistakes stop the function loudly. */
class InitTest {
    @Test
    void env_readsTheStacksVariables_withDefaults() {
        Env env = Env.from(Map.of(Env.TABLE, "jobwatch", Env.REGION, "eu-west-1", Env.SES_FROM, " "));
        assertThat(env.table()).isEqualTo("jobwatch");
        assertThat(env.catalog()).isEqualTo(Path.of("/var/task/jobwatch.yml"));
        assertThat(env.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(env.region()).contains("eu-west-1");
        assertThat(env.sesFrom()).isEmpty();
    }

    @Test
    void env_failsWithTheVariablesName_whenTheTableIsMissing_orTheRetentionIsNotADayCount() {
        assertThatThrownBy(() -> Env.from(Map.of())).hasMessageStartingWith("JOBWATCH_TABLE is not set");
        assertThatThrownBy(() -> Env.from(Map.of(Env.TABLE, "t", Env.RETENTION_DAYS, "7d")))
                .hasMessage("JOBWATCH_RETENTION_DAYS must be a whole number of days ≥ 1, was '7d'");
    }

    @Test
    void catalog_failsInitWithEveryProblem_whenTheFileIsInvalid(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("jobwatch.yml");
        Files.writeString(bad, "version: 1\nteams:\n  ops: {timezone: Mars/Base}\njobs:\n  - name: x\n    team: nobody\n");
        assertThatThrownBy(() -> CatalogFile.load(bad)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the catalog " + bad + " is invalid (")
                .hasMessageContaining(bad + ":3:")
                .hasMessageContaining("unknown time zone 'Mars/Base'");
    }

    @Test
    void catalog_failsInit_whenTheFileIsNotPackaged(@TempDir Path dir) {
        assertThatThrownBy(() -> CatalogFile.load(dir.resolve("missing.yml")))
                .hasMessageContaining("cannot read the catalog").hasMessageContaining("JOBWATCH_CATALOG");
    }

    @Test
    void secret_plainTextIsThePasswordOfTheCatalogsUser_andBadJsonIsNotEchoed() {
        assertThat(ServiceNowSecret.parse("hunter2", "sn", java.util.Optional.of("svc")).toString())
                .isEqualTo("Basic[user=svc, password=****]");
        assertThatThrownBy(() -> ServiceNowSecret.parse("{\"password\": hunter2", "sn", java.util.Optional.empty()))
                .hasMessage("secret sn is not valid JSON: store {\"user\":…,\"password\":…} or {\"token\":…}");
    }
}
