package io.jobwatch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.source.StableName;
import io.jobwatch.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * The catalog's {@code identity} overrides a source's job naming: {@code raw} keeps the service's name, a pattern's
 * group {@code name} picks the stable part; the first rule matching the raw name that says so applies.
 */
class CatalogIdentityTest {
    private static final String CATALOG = """
            version: 1
            teams:
              data: {recipients: [data@example.com]}
            defaults:
              team: data
            jobs:
              - name: keep-stress-names
                match: {source: [batch], jobName: [{prefix: "cpu-stress-test-"}]}
                identity: raw
              - name: versioned
                match: {source: [batch], jobName: [{prefix: "scoring-"}]}
                identity: "^(?<name>.+)-v\\\\d+$"
            """;

    private static Catalog catalog(String yaml) {
        return ((CatalogResult.Loaded) CatalogLoader.load("jobwatch.yml", yaml)).catalog();
    }

    private static RunEvent normalize(EventNormalizer n, String fixture) {
        return ((Normalization.Normalized) n.normalize(Fixtures.event(fixture))).event();
    }

    @Test
    void withoutARule_theSourceStripsThePerRunSuffix_andTheCatalogChangesNothing() {
        Catalog c = catalog(CATALOG.replace("cpu-stress-test-", "nothing-"));
        RunEvent e = normalize(new EventNormalizer().withIdentity(Catalog.identities(() -> c)),
                "batch/succeeded-run-named.json");
        assertThat(e.job().jobName()).isEqualTo("cpu-stress-test");
        assertThat(e.serviceJobName()).isEqualTo("cpu-stress-test-1760707292");
    }

    @Test
    void identityRaw_keepsTheNameTheServiceWrote() {
        Catalog c = catalog(CATALOG);
        RunEvent e = normalize(new EventNormalizer().withIdentity(Catalog.identities(() -> c)),
                "batch/succeeded-run-named.json");
        assertThat(e.job().jobName()).isEqualTo("cpu-stress-test-1760707292");
        StableName why = c.identity(new JobKey("111122223333", "us-east-1", JobSource.BATCH,
                "cpu-stress-test-1760707292"), StableName.same("x", "y")).orElseThrow();
        assertThat(why.why()).contains("rule keep-stress-names says identity: raw");
    }

    @Test
    void identityPattern_takesTheNamedGroup_andFallsBackToTheSourceRuleWhenItDoesNotMatch() {
        Catalog c = catalog(CATALOG);
        EventNormalizer n = new EventNormalizer().withIdentity(Catalog.identities(() -> c));
        JobKey versioned = new JobKey("111122223333", "us-east-1", JobSource.BATCH, "scoring-daily-v12");
        assertThat(n.stableName(versioned).name()).isEqualTo("scoring-daily");
        assertThat(n.stableName(versioned).why()).contains("versioned").contains("captures 'scoring-daily'");

        JobKey unversioned = new JobKey("111122223333", "us-east-1", JobSource.BATCH, "scoring-daily-1760707292");
        assertThat(n.stableName(unversioned).name()).isEqualTo("scoring-daily");
        assertThat(n.stableName(unversioned).why()).contains("strips the per-run suffix").contains("does not match");
    }

    @Test
    void aPatternWithoutGroupName_orNotARegex_isACatalogError_withItsPath() {
        CatalogResult noGroup = CatalogLoader.load("jobwatch.yml", CATALOG.replace("(?<name>.+)", "(.+)"));
        assertThat(noGroup).isInstanceOfSatisfying(CatalogResult.Invalid.class, i -> assertThat(i.errors())
                .singleElement().satisfies(e -> {
                    assertThat(e.keyPath()).isEqualTo("jobs[1].identity");
                    assertThat(e.message()).contains("has no group named 'name'");
                }));
        CatalogResult broken = CatalogLoader.load("jobwatch.yml", CATALOG.replace("(?<name>.+)", "(?<name>.+"));
        assertThat(broken).isInstanceOfSatisfying(CatalogResult.Invalid.class, i -> assertThat(i.errors())
                .singleElement().satisfies(e -> assertThat(e.message()).contains("is not a regular expression")));
    }
}
