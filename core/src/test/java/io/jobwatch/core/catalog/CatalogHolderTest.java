package io.jobwatch.core.catalog;

import static io.jobwatch.core.catalog.CatalogTestSupport.loaded;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import org.junit.jupiter.api.Test;

class CatalogHolderTest {
    private static final JobKey JOB = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "erp-x");

    @Test
    void reload_swapsInAValidCatalog_withAFreshCache() {
        CatalogHolder holder = new CatalogHolder(loaded("jobs: [{name: old, match: {jobName: [erp-x]}}]"));
        holder.current().resolve(JOB);

        CatalogResult r = holder.reload("jobwatch.yml", "jobs: [{name: new, match: {jobName: [erp-x]}}]");

        assertThat(r).isInstanceOf(CatalogResult.Loaded.class);
        assertThat(holder.current()).isSameAs(((CatalogResult.Loaded) r).catalog());
        assertThat(holder.current().cacheStats().jobs()).isZero();
        assertThat(holder.current().resolve(JOB).ruleName()).isEqualTo("new");
    }

    @Test
    void reload_keepsTheOldCatalog_whenTheNewOneIsInvalid() {
        Catalog old = loaded("jobs: [{name: old, match: {jobName: [erp-x]}}]");
        CatalogHolder holder = new CatalogHolder(old);

        CatalogResult r = holder.reload("jobwatch.yml", "jobs: [{name: new, match: {jobNam: [erp-x]}}]");

        assertThat(r).isInstanceOf(CatalogResult.Invalid.class);
        assertThat(holder.current()).isSameAs(old);
        assertThat(holder.current().resolve(JOB).ruleName()).isEqualTo("old");
    }
}
