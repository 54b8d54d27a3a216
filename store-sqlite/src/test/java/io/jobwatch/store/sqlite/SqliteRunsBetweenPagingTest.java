package io.jobwatch.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.Run;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runsBetween reads in keyed pages: a window of more runs than a page yields each run once, in order. */
class SqliteRunsBetweenPagingTest {
    static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void runsBetween_acrossSeveralPages_withManyRunsSharingASortTime_yieldsEachRunOnce_inKeyOrder() {
        Clock clock = Clock.fixed(T0.plus(Duration.ofDays(1)), ZoneOffset.UTC);
        int runs = SqliteRunStore.PAGE * 2 + 500;
        try (SqliteRunStore store = new SqliteRunStore(dir.resolve("jobwatch.db"), clock, Duration.ofDays(7))) {
            List<RunEvent> events = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                // Every 7 runs share a start: the page boundary falls inside groups of equal sort times.
                Instant start = T0.plusSeconds(i / 7);
                JobKey job = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "job-" + (i % 13));
                events.add(new RunEvent("e" + i, job, "jr_" + i, RunState.SUCCEEDED, "SUCCEEDED", start.plusSeconds(60),
                        start, start.plusSeconds(60), null));
            }
            store.applyAll(events);

            List<Run> got = new ArrayList<>();
            store.runsBetween(T0, T0.plus(Duration.ofDays(1)), got::add);

            assertThat(got).hasSize(runs);
            assertThat(got.stream().map(Run::runId).distinct().count()).isEqualTo(runs);
            assertThat(got).isSortedAccordingTo(Comparator.comparing(Run::sortTime)
                    .thenComparing((Run r) -> r.job().id()).thenComparing(Run::runId));

            List<Run> tail = new ArrayList<>();
            store.runsBetween(T0.plusSeconds(runs / 7 - 10), T0.plus(Duration.ofDays(1)), tail::add);
            assertThat(tail).allSatisfy(r -> assertThat(r.sortTime()).isAfterOrEqualTo(T0.plusSeconds(runs / 7 - 10)))
                    .hasSize((int) got.stream().filter(r -> !r.sortTime().isBefore(T0.plusSeconds(runs / 7 - 10))).count());
        }
    }
}
