package io.jobwatch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.sla.ExpectedJobs;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The catalog and jobs outside AWS: ping keys as references, ownership by key, matching on team, expected jobs. */
class CatalogHttpSourcesTest {
    static final String YAML = """
            teams:
              finance: {pingKey: "${JOBWATCH_PING_KEY_FINANCE}", timezone: Europe/Lisbon}
              platform: {recipients: [platform@example.com]}
            defaults:
              team: platform
            jobs:
              - name: backups
                match: {source: [ping], team: [finance], jobName: [nightly-backup]}
                criticality: high
                expectations: {schedule: cron(0 2 * * ? *), grace: 1h}
              - name: finance-pings-elsewhere
                match: {source: [ping], team: [finance]}
                team: platform
                expectations: {schedule: cron(0 5 * * ? *), timezone: UTC}
              - name: airflow
                match: {source: [openlineage], jobName: [{prefix: "airflow-prod/"}]}
                team: platform
              - name: dbt-daily
                match: {source: [openlineage], jobName: ["dbt/dbt-run-jaffle_shop"]}
                expectations: {deadline: "06:00"}
            """;

    static Catalog load(String yaml) {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", yaml);
        assertThat(r).as(r.toString()).isInstanceOf(CatalogResult.Loaded.class);
        return ((CatalogResult.Loaded) r).catalog();
    }

    @Test
    void pingKey_isAReferenceToTheVariableThatHoldsIt() {
        assertThat(load(YAML).pingKeys()).isEqualTo(Map.of("finance", new CredentialsRef.EnvVar("JOBWATCH_PING_KEY_FINANCE")));
    }

    @Test
    void pingKey_asALiteral_isAnInlineSecret_refusedWithoutEchoingIt() {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", """
                teams:
                  finance:
                    pingKey: fin_Pk7vQ2xLr9ZsT4mW
                """);
        assertThat(r).isInstanceOf(CatalogResult.Invalid.class);
        List<CatalogError> errors = ((CatalogResult.Invalid) r).errors();
        assertThat(errors).singleElement().hasToString("jobwatch.yml:3:14: teams.finance.pingKey: inline secret 'pingKey':"
                + " jobwatch.yml must not hold the key itself, only the name of the environment variable that holds it"
                + " — fix: write pingKey: \"${JOBWATCH_PING_KEY_FINANCE}\" and set JOBWATCH_PING_KEY_FINANCE where"
                + " Jobwatch runs (on AWS: a key of the ping-keys secret)");
        assertThat(errors.get(0).toString()).doesNotContain("Pk7vQ2");
    }

    @Test
    void pingKey_elsewhere_orAsAList_isRefused() {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", """
                teams:
                  finance:
                    pingKey: ["${A}"]
                incidents:
                  pingKey: "${B}"
                """);
        List<String> errors = ((CatalogResult.Invalid) r).errors().stream().map(CatalogError::toString).toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).contains("teams.finance.pingKey: expected a reference to an environment variable, found a list");
        assertThat(errors.get(1)).contains("incidents.pingKey: unknown key 'pingKey'");
    }

    @Test
    void pingedJob_belongsToTheKeysTeam_evenWhereARuleNamesAnother_andReadsExpectationsInTheTeamsZone() {
        Catalog c = load(YAML);
        JobPolicy backup = c.resolve(new JobKey("finance", "", JobSource.PING, "nightly-backup"));
        assertThat(backup.ruleName()).isEqualTo("backups");
        assertThat(backup.team().name()).isEqualTo("finance");
        assertThat(backup.criticality()).isEqualTo(Criticality.HIGH);
        assertThat(backup.expectations().timezone()).isEqualTo(ZoneId.of("Europe/Lisbon"));
        assertThat(backup.system()).isEqualTo("Pinged job");

        JobPolicy other = c.resolve(new JobKey("finance", "", JobSource.PING, "sftp-pull"));
        assertThat(other.ruleName()).isEqualTo("finance-pings-elsewhere");
        assertThat(other.team().name()).as("the key's team, not the rule's").isEqualTo("finance");
        assertThat(other.expectations().timezone()).as("the rule's own zone wins").isEqualTo(ZoneId.of("UTC"));

        JobPolicy gone = c.resolve(new JobKey("old-team", "", JobSource.PING, "x"));
        assertThat(gone.team().name()).isEqualTo(Team.UNOWNED);
    }

    @Test
    void lineageJob_isRoutedByItsName_likeAnyJob_withTheSourceLabelAsSystem() {
        Catalog c = load(YAML);
        JobPolicy task = c.resolve(new JobKey("", "", JobSource.OPENLINEAGE, "airflow-prod/etl_daily.load_orders"));
        assertThat(task.ruleName()).isEqualTo("airflow");
        assertThat(task.team().name()).isEqualTo("platform");
        assertThat(task.system()).isEqualTo("OpenLineage job");
        assertThat(c.matchEvent(task.job()).has("account")).isFalse();
        assertThat(c.matchEvent(task.job()).has("team")).isFalse();
    }

    @Test
    void expectedJobs_includeDeclaredPingAndLineageJobs_soAMissingFirstRunIsSeen() {
        assertThat(ExpectedJobs.of(load(YAML))).containsExactly(
                new JobKey("finance", "", JobSource.PING, "nightly-backup"),
                new JobKey("", "", JobSource.OPENLINEAGE, "dbt/dbt-run-jaffle_shop"));
    }

    @Test
    void matchField_team_isKnown_andOtherFieldsStillChecked() {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", """
                jobs:
                  - name: x
                    match: {source: [pings], tem: [finance]}
                """);
        List<String> errors = ((CatalogResult.Invalid) r).errors().stream().map(CatalogError::toString).toList();
        assertThat(errors).anyMatch(e -> e.contains("unknown source 'pings' (did you mean 'ping'?)"))
                .anyMatch(e -> e.contains("unknown match field 'tem' (did you mean 'team'?)"));
    }
}
