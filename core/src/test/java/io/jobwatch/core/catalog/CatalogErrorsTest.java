package io.jobwatch.core.catalog;

import static io.jobwatch.core.catalog.CatalogTestSupport.error;
import static io.jobwatch.core.catalog.CatalogTestSupport.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per kind of mistake: each names file, line, column, key path, what is wrong and how to fix it. */
class CatalogErrorsTest {

    private static void at(CatalogError e, int line, int column, String keyPath) {
        assertThat(e.file()).isEqualTo("jobwatch.yml");
        assertThat(e.line()).as(e.toString()).isEqualTo(line);
        assertThat(e.column()).as(e.toString()).isEqualTo(column);
        assertThat(e.keyPath()).as(e.toString()).isEqualTo(keyPath);
        assertThat(e.hint()).as(e.toString()).isNotBlank();
    }

    @Test
    void yamlSyntaxError_pointsAtTheProblem() {
        CatalogError e = error("""
                teams:
                  erp-ops:
                    recipients: [a@example.com
                jobs: []
                """);
        at(e, 4, 5, "");
        assertThat(e.message()).isEqualTo("YAML syntax error: expected ',' or ']', but got : (while parsing a flow"
                + " sequence at line 3, column 17)");
    }

    @Test
    void unknownKey_suggestsTheClosestKnownKey() {
        CatalogError e = error("""
                teams:
                  erp-ops:
                    recipient: [a@example.com]
                """);
        at(e, 3, 5, "teams.erp-ops.recipient");
        assertThat(e.toString()).isEqualTo("jobwatch.yml:3:5: teams.erp-ops.recipient: unknown key 'recipient'"
                + " (did you mean 'recipients'?) — fix: valid keys here: recipients, assignmentGroup, digestSchedule,"
                + " timezone, channels, pingKey, description");
    }

    @Test
    void unknownTopLevelKey_isReportedToo() {
        CatalogError e = error("jbos: []\n");
        at(e, 1, 1, "jbos");
        assertThat(e.message()).contains("did you mean 'jobs'?");
    }

    @Test
    void duplicateKey_namesTheFirstOne() {
        CatalogError e = error("""
                retention: {runs: 7d}
                retention: {runs: 8d}
                """);
        at(e, 2, 1, "retention");
        assertThat(e.message()).isEqualTo("duplicate key 'retention' (first at line 1)");
    }

    @Test
    void badCron_explainsTheAwsSixFieldRule() {
        CatalogError e = error("""
                jobs:
                  - name: a
                    match: {jobName: [a]}
                    expectations:
                      schedule: cron(0 6 * * * *)
                """);
        at(e, 5, 17, "jobs[0].expectations.schedule");
        assertThat(e.toString()).startsWith("jobwatch.yml:5:17: jobs[0].expectations.schedule: invalid cron expression"
                + " 'cron(0 6 * * * *)': use ? in exactly one of day-of-month and day-of-week");
    }

    @Test
    void cronWithSecondsField_saysToDropIt() {
        CatalogError e = error("""
                digest:
                  schedule: cron(0 0 7 * * ? *)
                """);
        at(e, 2, 13, "digest.schedule");
        assertThat(e.message()).contains("no seconds field");
    }

    @Test
    void cronOutOfRange_reportsCronUtilsReason() {
        CatalogError e = error("""
                teams:
                  t: {digestSchedule: "cron(0 25 * * ? *)"}
                """);
        at(e, 2, 23, "teams.t.digestSchedule");
        assertThat(e.message()).startsWith("invalid cron expression 'cron(0 25 * * ? *)': ");
    }

    @Test
    void badRate_showsTheFixedExpression() {
        CatalogError e = error("""
                jobs:
                  - name: a
                    match: {jobName: [a]}
                    expectations: {schedule: rate(1 hours)}
                """);
        at(e, 4, 30, "jobs[0].expectations.schedule");
        assertThat(e.message()).contains("rate(1 hour)");
    }

    @Test
    void invalidEventPattern_carriesEventRulersOwnError() {
        CatalogError e = error("""
                jobs:
                  - name: a
                    match:
                      jobName: [{prefixx: erp-}]
                """);
        at(e, 4, 7, "jobs[0].match");
        assertThat(e.message()).isEqualTo("invalid event pattern: Unrecognized match type prefixx");
    }

    @Test
    void unknownMatchField_suggestsTheRunField() {
        CatalogError e = error("""
                jobs:
                  - name: a
                    match: {jobname: [a]}
                """);
        at(e, 3, 13, "jobs[0].match.jobname");
        assertThat(e.message()).isEqualTo("unknown match field 'jobname' (did you mean 'jobName'?)");
    }

    @Test
    void matchValueNotAList_saysHowToWriteIt() {
        CatalogError e = error("""
                jobs:
                  - name: a
                    match: {jobName: {prefix: erp-}}
                """);
        at(e, 3, 22, "jobs[0].match.jobName");
        assertThat(e.hint()).contains("jobName: [{prefix: \"x\"}]");
    }

    @Test
    void unquotedAccountIdInMatch_wouldNeverMatch() {
        CatalogError e = error("""
                jobs:
                  - name: a
                    match: {account: [123456789012]}
                """);
        at(e, 3, 23, "jobs[0].match.account[0]");
        assertThat(e.hint()).isEqualTo("quote it: \"123456789012\"");
    }

    @Test
    void unknownSource_suggestsTheSourceId() {
        CatalogError e = error("""
                jobs:
                  - name: a
                    match: {source: [glue_job]}
                """);
        at(e, 3, 22, "jobs[0].match.source[0]");
        assertThat(e.message()).contains("did you mean 'glue-job'?");
    }

    @Test
    void unknownTeamReference_suggestsADeclaredTeam() {
        CatalogError e = error("""
                teams:
                  erp-ops: {}
                defaults:
                  team: erp-opps
                """);
        at(e, 4, 9, "defaults.team");
        assertThat(e.toString()).isEqualTo("jobwatch.yml:4:9: defaults.team: unknown team 'erp-opps' (did you mean"
                + " 'erp-ops'?) — fix: use one of erp-ops or declare it under teams:");
    }

    @Test
    void badEmail_pointsAtTheListItem() {
        CatalogError e = error("""
                teams:
                  erp-ops:
                    recipients:
                      - ok@example.com
                      - ERP Ops <erp-ops@example.com>
                """);
        at(e, 5, 9, "teams.erp-ops.recipients[1]");
        assertThat(e.message()).contains("is not an email address");
    }

    @Test
    void duplicateRuleName_pointsAtTheSecondAndNamesTheFirst() {
        CatalogError e = error("""
                jobs:
                  - name: erp
                    match: {jobName: [a]}
                  - name: erp
                    match: {jobName: [b]}
                """);
        at(e, 4, 11, "jobs[1].name");
        assertThat(e.message()).isEqualTo("duplicate rule name 'erp' (first used by jobs[0] at line 2)");
    }

    @Test
    void inlineSecret_isRejectedWithoutEchoingIt_andPointsToEnvOrSecretsManager() {
        List<CatalogError> all = errors("""
                incidents:
                  instanceUrl: https://example.service-now.com
                  username: jobwatch
                  password: hunter2-very-secret
                """);
        CatalogError e = all.stream().filter(x -> x.keyPath().equals("incidents.password")).findFirst().orElseThrow();
        at(e, 4, 3, "incidents.password");
        assertThat(e.hint()).contains("passwordEnv: SERVICENOW_PASSWORD").contains("secretId:");
        assertThat(all.toString()).doesNotContain("hunter2");
    }

    @Test
    void inlineSecret_isCaughtUnderAnyKeyName() {
        CatalogError e = error("""
                teams:
                  erp-ops:
                    api_key: abc
                """);
        at(e, 3, 5, "teams.erp-ops.api_key");
        assertThat(e.message()).startsWith("inline secret 'api_key'");
    }

    @Test
    void credentialsInTheInstanceUrl_areRejected() {
        CatalogError e = error("""
                incidents:
                  instanceUrl: https://admin:pw@example.service-now.com
                  username: jobwatch
                  passwordEnv: SN_PASSWORD
                """);
        at(e, 2, 16, "incidents.instanceUrl");
        assertThat(e.message()).contains("holds credentials");
        assertThat(e.toString()).doesNotContain("admin:pw");
    }

    @Test
    void badDuration_asksForAUnit() {
        CatalogError e = error("""
                jobs:
                  - name: a
                    match: {jobName: [a]}
                    expectations:
                      maxDuration: 90
                """);
        at(e, 5, 20, "jobs[0].expectations.maxDuration");
        assertThat(e.message()).contains("'90' has no unit; write 90m");
    }

    @Test
    void unknownTimeZone_suggestsTheIanaId() {
        CatalogError e = error("digest: {timezone: Lisbon}\n");
        at(e, 1, 20, "digest.timezone");
        assertThat(e.message()).isEqualTo("unknown time zone 'Lisbon' (did you mean 'Europe/Lisbon'?)");
    }

    @Test
    void unknownCriticality_listsTheLevels() {
        CatalogError e = error("defaults: {criticality: critcal}\n");
        at(e, 1, 25, "defaults.criticality");
        assertThat(e.message()).contains("did you mean 'critical'?");
    }

    @Test
    void badAccountId_asksForTwelveDigits() {
        CatalogError e = error("accounts:\n  \"12345\": ERP\n");
        at(e, 2, 3, "accounts.12345");
    }

    @Test
    void ruleWithoutNameOrMatch_isReported() {
        List<CatalogError> all = errors("""
                jobs:
                  - team: x
                """);
        assertThat(all).extracting(CatalogError::message).contains("rule has no name", "rule has no match",
                "unknown team 'x'");
        at(all.get(0), 2, 5, "jobs[0]");
    }

    @Test
    void wrongShape_saysWhatWasExpected() {
        CatalogError e = error("jobs:\n  name: a\n");
        at(e, 2, 3, "jobs");
        assertThat(e.message()).isEqualTo("expected a list of rules, found a mapping");
    }

    @Test
    void maintenanceWindow_mustBeRecurringOrFixed() {
        CatalogError e = error("""
                defaults:
                  maintenance:
                    - {schedule: cron(0 22 ? * SUN *), duration: 2h, from: "2026-01-01T00:00"}
                """);
        at(e, 3, 7, "defaults.maintenance[0]");
    }

    @Test
    void minDurationNotBelowMax_isReported() {
        CatalogError e = error("defaults: {expectations: {maxDuration: 1h, minDuration: 2h}}\n");
        at(e, 1, 57, "defaults.expectations.minDuration");
    }

    @Test
    void everyErrorIsReportedAtOnce_inFileOrder() {
        List<CatalogError> all = errors("""
                teams:
                  erp-ops: {recipients: [nope]}
                jobs:
                  - name: a
                    match: {jobname: [a]}
                    team: nobody
                    expectations: {schedule: "cron(1 2 3)", grace: soon}
                digest: {from: also-nope}
                """);
        assertThat(all).extracting(CatalogError::line).containsExactly(2, 5, 6, 7, 7, 8);
        assertThat(all).extracting(CatalogError::keyPath).containsExactly("teams.erp-ops.recipients[0]",
                "jobs[0].match.jobname", "jobs[0].team", "jobs[0].expectations.schedule", "jobs[0].expectations.grace",
                "digest.from");
    }

    @org.junit.jupiter.api.Test
    void runRetentionShorterThanTheExportNeeds_isAnError() {
        var r = io.jobwatch.core.catalog.CatalogLoader.load("jobwatch.yml", """
                version: 1
                retention: {runs: 3d}
                """);
        assertThat(r).isInstanceOf(io.jobwatch.core.catalog.CatalogResult.Invalid.class);
        var e = ((io.jobwatch.core.catalog.CatalogResult.Invalid) r).errors().get(0);
        assertThat(e.toString()).startsWith("jobwatch.yml:2:19: retention.runs: run retention 3d is shorter than the export needs (4d");
    }
}
