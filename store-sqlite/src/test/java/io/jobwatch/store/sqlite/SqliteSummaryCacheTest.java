package io.jobwatch.store.sqlite;

import static io.jobwatch.core.store.StoreFixtures.GLUE;
import static io.jobwatch.core.store.StoreFixtures.SFN;
import static io.jobwatch.core.store.StoreFixtures.T0;
import static io.jobwatch.core.store.StoreFixtures.finished;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** latestPerJob re-reads only changed summaries; it must still see every write, its own and another store's. */
class SqliteSummaryCacheTest {
    @TempDir
    Path dir;

    @Test
    void latestPerJob_seesWritesOfThisStoreAndOfAnotherOneOnTheSameFile() {
        TestClock clock = new TestClock(T0);
        Path db = dir.resolve("j.db");
        try (RunStore reader = new SqliteRunStore(db, clock, RunStore.DEFAULT_RETENTION);
             RunStore writer = new SqliteRunStore(db, clock, RunStore.DEFAULT_RETENTION)) {
            reader.apply(finished("a", GLUE, "jr_a", RunState.SUCCEEDED, T0, T0.plusSeconds(10)));
            reader.apply(finished("s", SFN, "ex_1", RunState.SUCCEEDED, T0, T0.plusSeconds(10)));
            assertThat(reader.latestPerJob()).extracting(JobSummary::latestState)
                    .containsExactly(RunState.SUCCEEDED, RunState.SUCCEEDED);

            clock.advance(Duration.ofMillis(1));
            reader.apply(finished("b", GLUE, "jr_b", RunState.FAILED, T0.plusSeconds(60), T0.plusSeconds(70)));
            assertThat(reader.latestPerJob()).extracting(s -> s.latestRun().runId()).containsExactly("jr_b", "ex_1");

            clock.advance(Duration.ofMillis(1));
            writer.apply(finished("c", SFN, "ex_2", RunState.TIMED_OUT, T0.plusSeconds(60), T0.plusSeconds(90)));
            assertThat(reader.latestPerJob()).extracting(s -> s.latestRun().runId()).containsExactly("jr_b", "ex_2");
            assertThat(reader.latestPerJob()).isEqualTo(writer.latestPerJob());
        }
    }
}
