package io.jobwatch.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.RollupLine.IncidentLine;
import io.jobwatch.core.store.RollupLine.RunLine;
import io.jobwatch.core.store.RollupRecords.ChangedDay;
import io.jobwatch.core.store.RollupRecords.JobLine;
import io.jobwatch.core.store.RollupRecords.JobLines;
import io.jobwatch.core.store.RollupRecords.OpenInterval;
import io.jobwatch.core.store.RollupRecords.StoredDay;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@link RollupRecords} contract: every back end extends this class and passes all of it (shipped in core's
 * test-jar). Subclasses return fresh, empty records per call of {@link #createRecords}.
 */
public abstract class RollupRecordsContract {
    protected static final LocalDate D1 = LocalDate.of(2026, 3, 2);
    protected static final LocalDate D2 = D1.plusDays(1);
    protected static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    protected static final Instant KEEP = NOW.plus(Duration.ofDays(400));
    protected static final JobKey A = StoreFixtures.GLUE;
    protected static final JobKey B = StoreFixtures.SFN;

    protected RollupRecords records;

    /** Fresh, empty records. */
    protected abstract RollupRecords createRecords();

    @BeforeEach
    void open() {
        records = createRecords();
    }

    private StoredDay day(LocalDate day, JobKey job) {
        List<StoredDay> out = new ArrayList<>();
        records.read(day, day, job, NOW, out::add);
        assertThat(out).hasSizeLessThanOrEqualTo(1);
        return out.isEmpty() ? new StoredDay(day, List.of(), List.of()) : out.get(0);
    }

    private List<RollupLine> single(LocalDate day, JobKey job) {
        return day(day, job).lines().stream().filter(l -> l.job().equals(job)).map(JobLine::line).toList();
    }

    private static RunLine ok(String key, long version, long seconds) {
        return new RunLine(key, version, RunState.SUCCEEDED, seconds);
    }

    // ---- single lines ----------------------------------------------------------------------------------------------

    @Test
    void putLine_keepsTheGreatestVersion_inAnyOrder() {
        records.putLine(A, D1, ok("jr_1", 3, 30), KEEP);
        records.putLine(A, D1, new RunLine("jr_1", 2, RunState.FAILED, 20L), KEEP);
        assertThat(single(D1, A)).containsExactly(ok("jr_1", 3, 30));
        records.putLine(A, D1, RunLine.gone("jr_1", 5), KEEP);
        assertThat(single(D1, A)).containsExactly(RunLine.gone("jr_1", 5));
        records.putLine(A, D1, ok("jr_1", 4, 40), KEEP);
        assertThat(single(D1, A)).containsExactly(RunLine.gone("jr_1", 5));
    }

    @Test
    void putLine_ofTheSameVersion_keepsTheFirst() {
        records.putLine(A, D1, ok("jr_1", 2, 30), KEEP);
        records.putLine(A, D1, ok("jr_1", 2, 99), KEEP);
        assertThat(single(D1, A)).containsExactly(ok("jr_1", 2, 30));
    }

    @Test
    void runLinesAndIncidentLines_withTheSameKey_areKeptApart_perJobAndDay() {
        IncidentLine inc = new IncidentLine("jr_1", 30, true, 90);
        records.putLine(A, D1, ok("jr_1", 1, 30), KEEP);
        records.putLine(A, D1, inc, KEEP);
        records.putLine(B, D1, ok("jr_1", 1, 31), KEEP);
        records.putLine(A, D2, ok("jr_1", 1, 32), KEEP);
        assertThat(single(D1, A)).containsExactlyInAnyOrder(ok("jr_1", 1, 30), inc);
        assertThat(single(D1, B)).containsExactly(ok("jr_1", 1, 31));
        assertThat(single(D2, A)).containsExactly(ok("jr_1", 1, 32));
        records.putLine(A, D1, new IncidentLine("jr_1", 20, false, 20), KEEP);
        assertThat(single(D1, A)).as("an incident line is final when written").contains(inc);
    }

    @Test
    void lines_keepTheirValues_exactly() {
        String longId = "run_" + "x".repeat(60);
        JobKey odd = new JobKey("345678901234", "us-east-1", JobSource.STEP_FUNCTIONS, "jöb \"quoted\", 失败 #1");
        List<RollupLine> lines = List.of(new RunLine(longId, RollupLine.MAX_VERSION, RunState.TIMED_OUT, 0L),
                new RunLine("no-start", 1, RunState.STOPPED, null), RunLine.gone("gone", 7),
                new RunLine("long", 12, RunState.SUCCEEDED, 86_400L * 3), new IncidentLine("FAILURE@1772416800", 0, true, 0),
                new IncidentLine("LATE@1772416800", 1440, false, 2000));
        for (RollupLine l : lines) {
            records.putLine(odd, D1, l, KEEP);
        }
        assertThat(single(D1, odd)).containsExactlyInAnyOrderElementsOf(lines);
    }

    @Test
    void putLine_underConcurrentWriters_keepsTheGreatestVersion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Integer> versions = new ArrayList<>();
            for (int v = 1; v <= 40; v++) {
                versions.add(v);
            }
            Collections.shuffle(versions, new Random(7));
            List<Future<?>> done = new ArrayList<>();
            for (int v : versions) {
                done.add(pool.submit(() -> records.putLine(A, D1, ok("jr_c", v, v), KEEP)));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(single(D1, A)).containsExactly(ok("jr_c", 40, 40));
    }

    // ---- days written by the pass ----------------------------------------------------------------------------------

    @Test
    void putDay_replacesTheDaysMaterializedLines_andLeavesSingleLinesAndOtherDays() {
        records.putLine(A, D1, ok("late", 2, 5), KEEP);
        records.putDay(D1, List.of(new JobLines(A, List.of(ok("jr_1", 1, 10), ok("jr_2", 2, 20))),
                new JobLines(B, List.of(ok("x", 1, 1)))), KEEP);
        records.putDay(D2, List.of(new JobLines(A, List.of(ok("jr_3", 1, 30)))), KEEP);
        records.putDay(D1, List.of(new JobLines(A, List.of(ok("jr_2", 3, 21)))), KEEP);

        StoredDay d1 = day(D1, null);
        assertThat(d1.materialized()).containsExactly(new JobLines(A, List.of(ok("jr_2", 3, 21))));
        assertThat(d1.lines()).containsExactly(new JobLine(A, ok("late", 2, 5)));
        assertThat(day(D2, null).materialized()).containsExactly(new JobLines(A, List.of(ok("jr_3", 1, 30))));
        records.putDay(D2, List.of(), KEEP);
        List<StoredDay> all = new ArrayList<>();
        records.read(D1, D2.plusDays(5), null, NOW, all::add);
        assertThat(all).extracting(StoredDay::day).as("an emptied day has nothing").containsExactly(D1);
    }

    @Test
    void putDay_ofALargeEstate_readsBackWhole_andReplacesWhole() {
        List<JobLines> jobs = new ArrayList<>();
        Map<JobKey, List<RunLine>> expected = new HashMap<>();
        for (int j = 0; j < 3000; j++) {
            JobKey job = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB,
                    String.format("analytics-sessions-aggregate-%04d-with-a-long-name", j));
            List<RunLine> lines = new ArrayList<>();
            for (int r = 0; r < 1 + j % 4; r++) {
                lines.add(new RunLine(RollupFold.runKey("jr_" + String.format("%064d", j * 10L + r)), 1 + r,
                        RunState.SUCCEEDED, 100L + j));
            }
            jobs.add(new JobLines(job, lines));
            expected.put(job, lines);
        }
        records.putDay(D1, jobs, KEEP);
        Map<JobKey, List<RunLine>> read = new HashMap<>();
        for (JobLines j : day(D1, null).materialized()) {
            read.computeIfAbsent(j.job(), k -> new ArrayList<>()).addAll(j.lines());
        }
        assertThat(read.keySet()).isEqualTo(expected.keySet());
        expected.forEach((job, lines) -> assertThat(read.get(job)).containsExactlyInAnyOrderElementsOf(lines));
        JobKey one = jobs.get(17).job();
        assertThat(day(D1, one).materialized()).extracting(JobLines::job).containsOnly(one);

        records.putDay(D1, List.of(jobs.get(0)), KEEP);
        assertThat(day(D1, null).materialized()).extracting(JobLines::job).containsExactly(jobs.get(0).job());
    }

    @Test
    void aKeyThatIsNotPlain_isRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ok("has space", 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'has space'");
        assertThat(RollupFold.runKey("jr_" + "é".repeat(400))).matches("[A-Za-z0-9]{9}");
    }

    @Test
    void keysOfTheMaterializedLines_matchTheKeysOfSingleLines_ofTheSameRun() {
        records.putDay(D1, List.of(new JobLines(A, List.of(ok("jr_1", 1, 10), ok("jr_2", 1, 20)))), KEEP);
        records.putLine(A, D1, RunLine.gone("jr_1", 2), KEEP);
        StoredDay d = day(D1, A);
        List<RunLine> single = d.lines().stream().map(l -> (RunLine) l.line()).toList();
        List<RunLine> merged = RollupFold.merge(d.materialized().get(0).lines(), single);
        assertThat(merged).extracting(RunLine::seconds).containsExactly(20L);
    }

    // ---- expiry ----------------------------------------------------------------------------------------------------

    @Test
    void read_returnsNothingExpired_andPurgeKeepsWhatIsNot() {
        Instant soon = NOW.plus(Duration.ofDays(1));
        records.putDay(D1, List.of(new JobLines(A, List.of(ok("jr_1", 1, 10)))), soon);
        records.putLine(A, D1, ok("jr_2", 1, 20), soon);
        records.putLine(A, D2, ok("jr_3", 1, 30), KEEP);
        List<StoredDay> later = new ArrayList<>();
        Instant after = soon.plusSeconds(1);
        records.read(D1, D2, null, after, later::add);
        assertThat(later).extracting(StoredDay::day).containsExactly(D2);
        assertThat(records.purgeExpired(after)).isGreaterThanOrEqualTo(0);
        later.clear();
        records.read(D1, D2, null, after, later::add);
        assertThat(later).extracting(StoredDay::day).containsExactly(D2);
        assertThat(later.get(0).lines()).containsExactly(new JobLine(A, ok("jr_3", 1, 30)));
    }

    // ---- open intervals, changed days, the pass --------------------------------------------------------------------

    @Test
    void openIntervals_areOnePerJobAndKind_replaced_andRemovedOnlyWhenStillTheSame() {
        Instant inc = Instant.parse("2026-03-02T01:00:00Z");
        OpenInterval first = new OpenInterval(A, "FAILURE", inc, inc);
        OpenInterval reopened = new OpenInterval(A, "FAILURE", inc, inc.plusSeconds(7200));
        OpenInterval late = new OpenInterval(A, "LATE", inc, inc.plusSeconds(60));
        OpenInterval other = new OpenInterval(B, "FAILURE", inc.plusSeconds(5), inc.plusSeconds(5));
        records.putOpen(first);
        records.putOpen(late);
        records.putOpen(other);
        assertThat(records.open(A, "FAILURE")).contains(first);
        records.putOpen(reopened);
        assertThat(records.open(A, "FAILURE")).contains(reopened);
        records.removeOpen(first);
        assertThat(records.open(A, "FAILURE")).as("an older interval does not remove the newer").contains(reopened);
        assertThat(records.openIntervals()).containsExactly(reopened, late, other);
        records.removeOpen(reopened);
        assertThat(records.open(A, "FAILURE")).isEmpty();
        assertThat(records.openIntervals()).containsExactly(late, other);
    }

    @Test
    void changedDays_keepTheLatestNote_andAreForgottenOnlyIfNotNotedAgain() {
        Instant t1 = NOW;
        Instant t2 = NOW.plusSeconds(60);
        records.markChanged(D2, t1);
        records.markChanged(D1, t2);
        records.markChanged(D1, t1);
        assertThat(records.changedDays()).containsExactly(new ChangedDay(D1, t2), new ChangedDay(D2, t1));
        records.clearChanged(new ChangedDay(D1, t1));
        assertThat(records.changedDays()).as("noted again after the export read it").hasSize(2);
        records.clearChanged(new ChangedDay(D1, t2));
        assertThat(records.changedDays()).containsExactly(new ChangedDay(D2, t1));
    }

    @Test
    void lastPass_keepsTheLatestDay() {
        assertThat(records.lastPass()).isEmpty();
        records.passed(D2);
        records.passed(D1);
        assertThat(records.lastPass()).contains(D2);
        records.passed(D2.plusDays(1));
        assertThat(records.lastPass()).contains(D2.plusDays(1));
    }
}
