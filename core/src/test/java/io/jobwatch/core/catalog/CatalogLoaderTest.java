package io.jobwatch.core.catalog;

import static io.jobwatch.core.catalog.CatalogTestSupport.example;
import static io.jobwatch.core.catalog.CatalogTestSupport.loaded;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CatalogLoaderTest {

    static final String FULL = """
            version: 1
            accounts:
              "123456789012": {system: ERP, environment: prod}
              "234567890123": FinData
            teams:
              erp-ops:
                recipients: [erp-ops@example.com, lead@example.com]
                assignmentGroup: ERP Operations
                digestSchedule: cron(0 6 ? * MON-FRI *)
                timezone: Europe/Lisbon
              platform:
                recipients: platform@example.com
            defaults:
              team: platform
              criticality: low
              incident: {urgency: 3, impact: 3, flapDampingWindow: 30m}
              digest: include
              expectations: {grace: 10m, learned: true}
              maintenance:
                - {from: "2026-12-24T00:00Z", to: "2026-12-27T00:00Z"}
            jobs:
              - name: orders
                description: The nightly orders load.
                match: {source: [glue-job], jobName: [erp-orders-nightly-etl]}
                team: erp-ops
                criticality: critical
                incident:
                  urgency: high
                  impact: 2
                  openAfterConsecutiveFailures: 2
                  failureRate: {percent: 50, ofLastRuns: 10}
                  resolveAfterConsecutiveSuccesses: 3
                digest: exclude
                expectations:
                  schedule: cron(0 1 * * ? *)
                  deadline: "07:30"
                  maxDuration: 1h30m
                  minDuration: 45s
                  pageOnLearned: true
                maintenance:
                  - {schedule: cron(0 22 ? * SUN *), duration: PT4H}
              - name: erp-rest
                match: {system: [ERP]}
                incident: off
            retention: {runs: 14d, rollups: 730d}
            incidents:
              instanceUrl: https://example.service-now.com
              username: jobwatch
              secretId: jobwatch/servicenow
            digest:
              schedule: cron(0 8 * * ? *)
              timezone: Europe/Lisbon
              from: jobwatch@example.com
            """;

    private static final JobKey ORDERS = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "erp-orders-nightly-etl");

    @Test
    void load_readsEveryKeyAsWritten() {
        Catalog c = loaded(FULL);

        assertThat(c.accounts()).containsOnlyKeys("123456789012", "234567890123");
        assertThat(c.account("123456789012")).contains(new Account("123456789012", "ERP", Optional.of("prod")));
        assertThat(c.systemOf("234567890123")).contains("FinData");
        assertThat(c.team("erp-ops").orElseThrow()).isEqualTo(new Team("erp-ops",
                List.of("erp-ops@example.com", "lead@example.com"), Optional.of("ERP Operations"),
                Optional.of(Schedule.parse("cron(0 6 ? * MON-FRI *)")), ZoneId.of("Europe/Lisbon")));
        assertThat(c.team("platform").orElseThrow().recipients()).containsExactly("platform@example.com");
        assertThat(c.team("platform").orElseThrow().timezone()).isEqualTo(ZoneId.of("Europe/Lisbon"));
        assertThat(c.rules()).extracting(Rule::name).containsExactly("orders", "erp-rest");
        assertThat(c.rules().get(0)).isEqualTo(new Rule(0, "orders", "The nightly orders load.",
                "{\"source\":[\"glue-job\"],\"jobName\":[\"erp-orders-nightly-etl\"]}", 22));
        assertThat(c.retention().runs()).isEqualTo(Duration.ofDays(14));
        assertThat(c.retention().rollups()).isEqualTo(Duration.ofDays(730));
        assertThat(c.incidents()).isEqualTo(new IncidentSettings(Optional.of(URI.create("https://example.service-now.com")),
                Optional.of("jobwatch"), Optional.of(new CredentialsRef.SecretsManager("jobwatch/servicenow"))));
        assertThat(c.digest()).isEqualTo(new DigestSettings(Schedule.parse("cron(0 8 * * ? *)"),
                ZoneId.of("Europe/Lisbon"), Optional.of("jobwatch@example.com")));

        JobPolicy p = c.resolve(ORDERS);
        assertThat(p.ruleName()).isEqualTo("orders");
        assertThat(p.ruleIndex()).isZero();
        assertThat(p.system()).isEqualTo("ERP");
        assertThat(p.environment()).contains("prod");
        assertThat(p.team().name()).isEqualTo("erp-ops");
        assertThat(p.criticality()).isEqualTo(Criticality.CRITICAL);
        assertThat(p.incident()).isEqualTo(new JobIncidentPolicy(true, 1, 2, 2,
                Optional.of(new JobIncidentPolicy.FailureRate(50, 10)), 3, Duration.ofMinutes(30)));
        assertThat(p.inDigest()).isFalse();
        assertThat(p.expectations()).isEqualTo(new Expectations(Optional.of(Schedule.parse("cron(0 1 * * ? *)")),
                ZoneId.of("Europe/Lisbon"), Optional.of(LocalTime.of(7, 30)), Duration.ofMinutes(10),
                Optional.of(Duration.ofMinutes(90)), Optional.of(Duration.ofSeconds(45)), true, true));
        assertThat(p.maintenance()).hasSize(1);
    }

    @Test
    void resolve_fillsWhatARuleLeavesOutFromDefaultsThenBuiltIns() {
        Catalog c = loaded(FULL);
        JobPolicy p = c.resolve(new JobKey("123456789012", "eu-west-1", JobSource.BATCH, "erp-anything"));

        assertThat(p.ruleName()).isEqualTo("erp-rest");
        assertThat(p.team().name()).isEqualTo("platform");
        assertThat(p.criticality()).isEqualTo(Criticality.LOW);
        assertThat(p.incident().enabled()).isFalse();
        assertThat(p.incident().urgency()).isEqualTo(3);
        assertThat(p.incident().openAfterConsecutiveFailures()).isEqualTo(1);
        assertThat(p.incident().flapDampingWindow()).isEqualTo(Duration.ofMinutes(30));
        assertThat(p.inDigest()).isTrue();
        assertThat(p.expectations().grace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.expectations().learned()).isTrue();
        assertThat(p.expectations().schedule()).isEmpty();
        // The defaults' year-end window applies because the rule has no maintenance of its own.
        assertThat(p.inMaintenance(Instant.parse("2026-12-25T12:00:00Z"))).isTrue();
        assertThat(p.inMaintenance(Instant.parse("2026-12-27T00:00:00Z"))).isFalse();
    }

    @Test
    void resolve_usesDefaults_whenNoRuleMatches_andTheAccountIdAsSystemForUnknownAccounts() {
        Catalog c = loaded(FULL);
        JobPolicy p = c.resolve(new JobKey("999999999999", "us-east-1", JobSource.BATCH, "x"));

        assertThat(p.ruleName()).isEqualTo(JobPolicy.DEFAULTS);
        assertThat(p.matchedRule()).isFalse();
        assertThat(p.system()).isEqualTo("999999999999");
        assertThat(p.environment()).isEmpty();
        assertThat(p.team().name()).isEqualTo("platform");
    }

    @Test
    void resolve_emptyCatalog_givesBuiltInDefaultsAndAnUnownedTeam() {
        Catalog c = loaded("");
        JobPolicy p = c.resolve(ORDERS);

        assertThat(p.team().name()).isEqualTo(Team.UNOWNED);
        assertThat(p.criticality()).isEqualTo(Criticality.NORMAL);
        assertThat(p.incident()).isEqualTo(new JobIncidentPolicy(true, 3, 3, 1, Optional.empty(), 1, Duration.ZERO));
        assertThat(p.expectations().timezone()).isEqualTo(ZoneOffset.UTC);
        assertThat(p.expectations().grace()).isEqualTo(Expectations.DEFAULT_GRACE);
        assertThat(c.retention().runs()).isEqualTo(Duration.ofDays(7));
        assertThat(c.retention().rollups()).isEqualTo(Duration.ofDays(400))
                .isEqualTo(io.jobwatch.core.store.Rollups.DEFAULT_RETENTION);
        assertThat(c.incidents().configured()).isFalse();
        assertThat(c.digest().schedule().expression()).isEqualTo("cron(0 7 * * ? *)");
    }

    @Test
    void resolve_firstMatchingRuleWins_andMatchingRulesListsTheShadowedOnes() {
        Catalog c = loaded("""
                jobs:
                  - name: specific
                    match: {jobName: [{prefix: "erp-orders"}]}
                    criticality: critical
                  - name: erp
                    match: {jobName: [{prefix: "erp-"}]}
                    criticality: high
                  - name: glue
                    match: {source: [glue-job]}
                """);

        assertThat(c.resolve(ORDERS).ruleName()).isEqualTo("specific");
        assertThat(c.resolve(new JobKey("1", "r", JobSource.GLUE_JOB, "erp-x")).ruleName()).isEqualTo("erp");
        assertThat(c.matchingRules(ORDERS)).extracting(Rule::name).containsExactly("specific", "erp", "glue");
    }

    @Test
    void resolve_matchesOnSystemEnvironmentRegionAndEventRulerOperators() {
        Catalog c = loaded("""
                accounts:
                  "123456789012": {system: ERP, environment: dev}
                  "234567890123": {system: FinData}
                jobs:
                  - name: dev
                    match: {environment: [dev]}
                  - name: no-env
                    match: {system: [FinData], environment: [{exists: false}]}
                  - name: not-us
                    match: {region: [{anything-but: [us-east-1]}], jobName: [{suffix: "-crawler"}]}
                  - name: uncatalogued
                    match: {system: [{exists: false}]}
                """);

        assertThat(c.resolve(ORDERS).ruleName()).isEqualTo("dev");
        assertThat(c.resolve(new JobKey("234567890123", "us-east-1", JobSource.BATCH, "b")).ruleName()).isEqualTo("no-env");
        assertThat(c.resolve(new JobKey("345678901234", "eu-west-1", JobSource.GLUE_CRAWLER, "a-crawler")).ruleName())
                .isEqualTo("not-us");
        assertThat(c.resolve(new JobKey("345678901234", "us-east-1", JobSource.GLUE_CRAWLER, "a-crawler")).ruleName())
                .isEqualTo("uncatalogued");
    }

    @Test
    void resolve_cachesPerJob_andCountsHits() {
        Catalog c = loaded(FULL);
        JobPolicy first = c.resolve(ORDERS);
        JobPolicy again = c.resolve(new RunKey(ORDERS, "jr_1"));

        assertThat(again).isSameAs(first);
        assertThat(c.cacheStats()).isEqualTo(new Catalog.CacheStats(1, 1, 1));
        assertThat(c.cacheStats().hitRate()).isEqualTo(0.5);
    }

    @Test
    void maintenance_recurringWindowIsReadInItsZone_fromStartForItsDuration() {
        Catalog c = loaded(FULL);
        JobPolicy p = c.resolve(ORDERS);
        // Sunday 2026-07-05 22:00 Lisbon = 21:00Z, for 4 hours.
        assertThat(p.inMaintenance(Instant.parse("2026-07-05T20:59:59Z"))).isFalse();
        assertThat(p.inMaintenance(Instant.parse("2026-07-05T21:00:00Z"))).isTrue();
        assertThat(p.inMaintenance(Instant.parse("2026-07-06T00:59:59Z"))).isTrue();
        assertThat(p.inMaintenance(Instant.parse("2026-07-06T01:00:00Z"))).isFalse();
        // The rule's own windows replace the defaults' year-end window.
        assertThat(p.inMaintenance(Instant.parse("2026-12-25T12:00:00Z"))).isFalse();
    }

    @Test
    void example_validates() throws Exception {
        Catalog c = loaded(example());
        assertThat(c.accounts()).hasSize(3);
        assertThat(c.teams()).hasSize(6);
    }

    @Test
    void example_describesTheDemoScenarioJobs() throws Exception {
        Catalog c = loaded(example());
        JobPolicy close = c.resolve(new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "fin-close-reconciliation"));
        JobPolicy ledger = c.resolve(new JobKey("234567890123", "eu-west-1", JobSource.GLUE_JOB, "fin-ledger-load"));
        JobPolicy sessions = c.resolve(new JobKey("345678901234", "us-east-1", JobSource.GLUE_JOB, "analytics-sessions-rebuild"));

        assertThat(close.criticality()).isEqualTo(Criticality.CRITICAL);
        assertThat(close.expectations().deadline()).contains(LocalTime.of(7, 0));
        assertThat(close.expectations().timezone()).isEqualTo(ZoneId.of("Europe/Lisbon"));
        assertThat(close.expectations().nextExpectedStart(Instant.parse("2026-07-01T00:00:00Z")))
                .contains(Instant.parse("2026-07-01T04:30:00Z"));
        assertThat(ledger.expectations().schedule()).contains(Schedule.parse("rate(4 hours)"));
        assertThat(ledger.incident().flapDampingWindow()).isEqualTo(Duration.ofHours(12));
        assertThat(sessions.expectations().maxDuration()).contains(Duration.ofHours(2));
    }


    @Test
    void incident_waitForRetriesAndOnWarning_areReadAndInherited_andABadOnWarningIsNamed() {
        String yaml = """
                version: 1
                teams:
                  data: {recipients: [data@example.com]}
                defaults:
                  team: data
                  incident: {waitForRetries: 2}
                jobs:
                  - name: flows
                    match: {source: [appflow]}
                    incident: {onWarning: open}
                """;
        Catalog c = ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", yaml)).catalog();
        JobPolicy flows = c.resolve(new io.jobwatch.core.run.JobKey("111122223333", "us-east-1",
                io.jobwatch.core.run.JobSource.APPFLOW, "s3-orders-to-lake"));
        JobPolicy other = c.resolve(new io.jobwatch.core.run.JobKey("111122223333", "us-east-1",
                io.jobwatch.core.run.JobSource.GLUE_JOB, "nightly"));
        assertThat(flows.incident().openOnWarning()).isTrue();
        assertThat(flows.incident().waitForRetries()).isEqualTo(2);
        assertThat(other.incident().openOnWarning()).isFalse();
        assertThat(other.incident().waitForRetries()).isEqualTo(2);

        CatalogResult bad = CatalogLoader.load("jobwatch.yml", yaml.replace("onWarning: open", "onWarning: page"));
        assertThat(bad).isInstanceOfSatisfying(CatalogResult.Invalid.class, inv -> assertThat(inv.errors())
                .singleElement().satisfies(e -> {
                    assertThat(e.keyPath()).isEqualTo("jobs[0].incident.onWarning");
                    assertThat(e.message()).contains("onWarning must be open or digest, found 'page'");
                }));
    }
}
