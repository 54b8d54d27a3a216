package io.jobwatch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.Team;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The example catalog (the demo's) covers the simulated estate: every simulated job has a rule, a team, a system. */
class SimulatedEstateCatalogTest {

    @Test
    void example_validates_andGivesEverySimulatedJobARuleAndATeam() throws Exception {
        Catalog c = loaded(example());

        assertThat(c.accounts()).hasSize(3);
        assertThat(c.teams()).hasSize(6);
        List<SimJob> jobs = new Simulator(SimOptions.defaults()).jobs();
        for (SimJob job : jobs) {
            JobPolicy p = c.resolve(job.key());
            assertThat(p.matchedRule()).as(job.key().id()).isTrue();
            assertThat(p.team().name()).as(job.key().id()).isNotEqualTo(Team.UNOWNED);
            assertThat(p.system()).isEqualTo(job.system());
        }
    }

    @Test
    void load_sameTextTwice_resolvesTheSame() throws Exception {
        Catalog a = loaded(example());
        Catalog b = loaded(example());
        for (SimJob job : new Simulator(SimOptions.defaults()).jobs()) {
            assertThat(b.resolve(job.key())).isEqualTo(a.resolve(job.key()));
        }
    }

    private static Catalog loaded(String yaml) {
        CatalogResult r = CatalogLoader.load("jobwatch.yml", yaml);
        assertThat(r).isInstanceOf(CatalogResult.Loaded.class);
        return ((CatalogResult.Loaded) r).catalog();
    }

    private static String example() throws IOException {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("examples/jobwatch.yml"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root (with examples/jobwatch.yml) not found");
        }
        return Files.readString(p.resolve("examples/jobwatch.yml"));
    }
}
