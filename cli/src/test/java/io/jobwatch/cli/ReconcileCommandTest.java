package io.jobwatch.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ReconcileCommandTest {
    @RegisterExtension
    static WireMockExtension glue = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    Path credentials;

    record Result(int code, String out, String err) {
    }

    static Result run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                args.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    @BeforeEach
    void setUp() throws Exception {
        credentials = dir.resolve("credentials");
        Files.writeString(credentials, "[jobwatch-test]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = test-secret\n");
        Instant start = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        glue.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target", equalTo("AWSGlue.GetJobRuns"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/x-amz-json-1.1")
                        .withBody("""
                                {"JobRuns":[{"Id":"jr_lost","JobName":"fin-ledger-load","JobRunState":"FAILED",
                                  "StartedOn":%d,"CompletedOn":%d,"ErrorMessage":"ledger file missing"}]}"""
                                .formatted(start.getEpochSecond(), start.getEpochSecond() + 300))));
    }

    List<String> args(String... extra) {
        List<String> a = new ArrayList<>(List.of("reconcile", "--db", dir.resolve("j.db").toString(),
                "--account", "234567890123", "--regions", "eu-west-1", "--source", "glue-job", "--job", "fin-ledger-load",
                "--no-assume-role", "--credentials-file", credentials.toString(), "--profile", "jobwatch-test",
                "--endpoint-override", "glue=" + glue.baseUrl()));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void dryRun_printsWhatItWouldAdd_thenTheRealRunAddsItOnce() {
        Result dry = run(args("--dry-run"));

        assertThat(dry.err()).isEmpty();
        assertThat(dry.code()).isZero();
        assertThat(dry.out()).contains("(dry run: nothing written)")
                .contains("would add     glue-job:234567890123:eu-west-1:fin-ledger-load#jr_lost  FAILED (service: FAILED)")
                .contains("glue-job 234567890123/eu-west-1: 1 seen, 1 missing from events, 0 advanced, 0 unchanged")
                .contains("total: 1 seen, 1 missing from events (would add), 0 advanced (would advance)")
                .contains("1 run was found only by reconciliation in 234567890123 — check the forwarding rule");

        Result real = run(args());
        assertThat(real.code()).isZero();
        assertThat(real.out()).contains("add     glue-job:234567890123:eu-west-1:fin-ledger-load#jr_lost")
                .contains("[CREATED]").contains("total: 1 seen, 1 missing from events (added)");
        // The failure went the same way as an ingested one: an incident action was decided and sent (dry-run file).
        assertThat(real.err()).contains("incidents:");

        Result again = run(args());
        assertThat(again.out()).contains("0 missing from events, 0 advanced, 1 unchanged").doesNotContain("add ");
    }

    @Test
    void appFlowWithoutJobNames_asksAboutTheFlowsTheCatalogNames() throws Exception {
        Path catalog = dir.resolve("jobwatch.yml");
        Files.writeString(catalog, """
                version: 1
                accounts:
                  "234567890123": {system: FinData, environment: prod}
                teams:
                  integration:
                    assignmentGroup: Integration Services
                    timezone: UTC
                defaults:
                  team: integration
                jobs:
                  - name: ledger-flow
                    match: {source: [appflow], account: ["234567890123"], region: [eu-west-1], jobName: [sf-ledger-to-s3]}
                """);
        long start = Instant.now().minus(1, ChronoUnit.HOURS).getEpochSecond();
        glue.stubFor(post(urlEqualTo("/describe-flow-execution-records"))
                .withRequestBody(matchingJsonPath("$.flowName", equalTo("sf-ledger-to-s3")))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                        {"flowExecutions":[{"executionId":"0c1d2e3f-lost","executionStatus":"Successful",
                          "startedAt":%d,"lastUpdatedAt":%d}]}""".formatted(start, start + 40))));

        Result r = run(List.of("reconcile", "--db", dir.resolve("j.db").toString(), "--config", catalog.toString(),
                "--regions", "eu-west-1", "--source", "appflow", "--no-assume-role",
                "--credentials-file", credentials.toString(), "--profile", "jobwatch-test",
                "--endpoint-override", "appflow=" + glue.baseUrl()));

        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("add     appflow:234567890123:eu-west-1:sf-ledger-to-s3#0c1d2e3f-lost  SUCCEEDED")
                .contains("appflow 234567890123/eu-west-1: 1 seen, 1 missing from events")
                .contains("1 run was found only by reconciliation in FinData");
    }

    @Test
    void withoutCredentials_saysHowToProvideThem() throws Exception {
        Files.writeString(credentials, "");

        Result r = run(args());

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("reconcile: no AWS credentials found")
                .contains("--profile NAME").contains("AWS_ACCESS_KEY_ID");
    }

    @Test
    void assumingTheRole_needsTheExternalId() {
        List<String> a = args();
        a.remove("--no-assume-role");

        Result r = run(a);

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("needs its external id").contains("--external-id");
    }

    @Test
    void badAccountOrSource_isNamed() {
        assertThat(run(args("--account", "12345")).err()).contains("--account 12345: an AWS account id has 12 digits");
        assertThat(run(args("--source", "airflow")).err()).contains("--source airflow: reconcile can ask glue-job,"
                + " glue-crawler, step-functions, appflow, datasync, batch, emr-serverless");
    }
}
