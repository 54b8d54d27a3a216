package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    static Path repo() {
        String prop = System.getProperty("jobwatch.repo");
        if (prop != null && Files.isDirectory(Path.of(prop, "examples"))) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples/events"))) {
            p = p.getParent();
        }
        return p;
    }

    @Test
    void builtInExample_isExactlyExamplesJobwatchYml() throws Exception {
        assertThat(CatalogFiles.example()).isEqualTo(Files.readString(repo().resolve("examples/jobwatch.yml")));
    }

    @Test
    void validate_exampleFile_exits0WithASummary() {
        String file = repo().resolve("examples/jobwatch.yml").toString();
        Result r = run("config", "validate", file);

        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).startsWith(file + ": valid: 3 accounts, 6 teams, 16 rules\n")
                .contains("password from environment variable JOBWATCH_SERVICENOW_PASSWORD");
    }

    @Test
    void validate_checksTheTeamsChannels_againstTheChannelTypes_withTheirPlace(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("jobwatch.yml");
        Files.writeString(file, """
                version: 1
                teams:
                  erp-ops:
                    recipients: [erp-ops@example.com]
                    channels:
                      - {type: ses, from: jobwatch@example.com}
                      - {type: sns}
                      - {type: teams, url: "x"}
                """);
        Result r = run("config", "validate", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                file + ":7:9: teams.erp-ops.channels: sns needs 'topicArn'",
                file + ":8:9: teams.erp-ops.channels: unknown channel type 'teams' — use one of smtp, ses, sns, file");
    }

    @Test
    void validate_withoutFile_usesTheBuiltInExample() {
        Result r = run("config", "validate");

        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("examples/jobwatch.yml (built-in example): valid: 3 accounts, 6 teams, 16 rules");
    }

    @Test
    void validate_invalidFile_exits2WithEveryErrorPositioned(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("jobwatch.yml");
        Files.writeString(file, """
                teams:
                  erp-ops: {recipients: [not-an-email]}
                jobs:
                  - name: a
                    match: {jobName: [a]}
                    team: erp-opps
                """);
        Result r = run("config", "validate", file.toString());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).containsExactly(
                file + ":2:26: teams.erp-ops.recipients[0]: 'not-an-email' is not an email address — fix: write a plain"
                        + " address like erp-ops@example.com (no display name)",
                file + ":6:11: jobs[0].team: unknown team 'erp-opps' (did you mean 'erp-ops'?) — fix: use one of erp-ops"
                        + " or declare it under teams:",
                file + ": 2 errors");
    }

    @Test
    void validate_missingFile_exits2() {
        Result r = run("config", "validate", "no-such-dir/jobwatch.yml");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("no-such-dir/jobwatch.yml: cannot read: no such file\n");
    }

    @Test
    void explain_showsTheMatchingRuleTheShadowedOnesAndThePolicy() {
        Result r = run("config", "explain", "--job", "fin-ledger-load", "--source", "glue-job",
                "--account", "234567890123", "--region", "eu-west-1");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains(
                "job:          glue-job:234567890123:eu-west-1:fin-ledger-load\n",
                "account:      234567890123 = FinData (prod)\n",
                "rule:         jobs[1] fin-ledger-load (examples/jobwatch.yml:",
                "match:        {\"source\":[\"glue-job\"],\"jobName\":[\"fin-ledger-load\"]}\n",
                "shadowed:     jobs[4] finance-core-loads, jobs[14] findata-other\n",
                "team:         finance-close (recipients finance-close@example.com, controller@example.com;",
                "criticality:  critical\n",
                "incident:     on: urgency 1, impact 2; open after 1 failure or 50% of the last 6 runs failed;"
                        + " resolve after 2 successes; flap damping 12h\n",
                "expectations: schedule rate(4 hours); timezone Europe/Lisbon; grace 15m; max duration 1h;");
    }

    @Test
    void explain_unmatchedJob_saysTheDefaultsApply(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yml");
        Files.writeString(file, "jobs: [{name: erp, match: {jobName: [{prefix: erp-}]}}]\n");
        Result r = run("config", "explain", "--config", file.toString(), "--job", "x", "--source", "batch",
                "--account", "123456789012");

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("rule:         none matched: the defaults apply\n",
                "team:         unowned (no digest recipients; timezone Z)",
                "(no --region: rules on region cannot match)");
    }

    @Test
    void explain_unknownSource_exits2() {
        Result r = run("config", "explain", "--job", "x", "--source", "glue", "--account", "123456789012");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("unknown source 'glue': use one of glue-job,");
    }

    @Test
    void demo_showsTeamsAndCriticalJobsInTrouble(@org.junit.jupiter.api.io.TempDir java.nio.file.Path out) {
        Result r = run("demo", "--date", "2026-11-24", "--days", "1", "--out", out.toString());

        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("Ownership (catalog: examples/jobwatch.yml (built-in example)): 507 of 507 jobs"
                + " matched a rule")
                .containsPattern("FinData +finance-close +\\d+")
                .containsPattern("critical +erp-orders-nightly-etl +glue-job +ERP +erp-ops +\\d+ of \\d+ runs failed")
                .containsPattern("critical +fin-close-reconciliation .*no run seen \\(expected cron\\(30 5 \\* \\* \\? \\*\\)"
                        + " Europe/Lisbon\\)")
                .containsPattern("high +analytics-sessions-rebuild .*started, never finished \\(max duration 2h\\)");
    }
}
