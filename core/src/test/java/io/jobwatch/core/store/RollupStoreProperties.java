package io.jobwatch.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.RollupLine.RunLine;
import io.jobwatch.core.testing.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * Rollups equal what the runs imply, through a whole run store (shipped in core's test-jar; every back end runs it):
 * random runs over two weeks — starts known or not, runs across midnight — delivered on time or days late (late events
 * for past days, after the daily pass wrote them), with duplicates, in random batches, while the store clock moves day
 * by day and the daily pass runs (or is missed, up to 3 days in a row: what a 7-day run retention allows). Read while the runs are kept and again when only the rollups are.
 */
public abstract class RollupStoreProperties {
    private static final Instant DAY0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final Duration RETENTION = Duration.ofDays(7);
    private static final List<JobKey> JOBS = List.of(StoreFixtures.GLUE, StoreFixtures.SFN,
            new JobKey("345678901234", "us-east-1", JobSource.GLUE_JOB, "analytics-clicks-aggregate"));
    private static final List<RunState> ENDS = List.of(RunState.SUCCEEDED, RunState.SUCCEEDED, RunState.SUCCEEDED,
            RunState.FAILED, RunState.TIMED_OUT, RunState.STOPPED);

    /** A new, empty store on the clock. */
    protected abstract RunStore createStore(Clock clock, Duration retention);

    /** Runs per try at most (a slower back end takes fewer). */
    protected int maxRuns() {
        return 40;
    }

    /** One generated run: what its events say, all of them delivered in the end. */
    private record Truth(JobKey job, String runId, Instant start, Instant end, RunState state, boolean startKnown) {
        LocalDate day() {
            return LocalDate.ofInstant(startKnown ? start : end, ZoneOffset.UTC);
        }

        RunLine line() {
            return new RunLine(RollupFold.runKey(runId), 1, state, startKnown ? Duration.between(start, end).getSeconds() : null);
        }
    }

    private record Delivery(Instant at, RunEvent event) {
    }

    @Property(tries = 25)
    void rollups_equalWhatTheRunsImply_whateverTheDeliveryAndThePasses(
            @ForAll @LongRange(min = 1, max = 1_000_000_000L) long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Truth> truths = new ArrayList<>();
        List<Delivery> deliveries = new ArrayList<>();
        int n = 1 + rnd.nextInt(maxRuns());
        for (int i = 0; i < n; i++) {
            JobKey job = JOBS.get(rnd.nextInt(JOBS.size()));
            Instant start = DAY0.plus(Duration.ofDays(rnd.nextInt(14))).plusSeconds(rnd.nextInt(86_400));
            Instant end = start.plusSeconds(rnd.nextInt(4 * 3600));
            RunState state = ENDS.get(rnd.nextInt(ENDS.size()));
            boolean runningEvent = rnd.nextInt(3) > 0;
            boolean startInEnd = rnd.nextBoolean();
            boolean startKnown = runningEvent || startInEnd;
            Truth t = new Truth(job, "r" + i, start, end, state, startKnown);
            truths.add(t);
            // Late runs: the whole run arrives 1–12 days after it ran (its events within 2 days of each other).
            Duration late = rnd.nextInt(10) < 3 ? Duration.ofHours(24 + rnd.nextInt(11 * 24)) : Duration.ZERO;
            List<RunEvent> events = new ArrayList<>();
            if (runningEvent) {
                events.add(new RunEvent("e" + i + "-run", job, t.runId(), RunState.RUNNING, "RUNNING", start, start, null,
                        null));
            }
            events.add(new RunEvent("e" + i + "-end", job, t.runId(), state, state.name(), end,
                    startInEnd ? start : null, end, state.failed() ? "boom" : null));
            for (RunEvent e : events) {
                Instant at = e.eventTime().plus(late).plusSeconds(rnd.nextInt(2 * 86_400));
                deliveries.add(new Delivery(at, e));
                if (rnd.nextInt(7) == 0) {
                    deliveries.add(new Delivery(at.plusSeconds(rnd.nextInt(86_400)), e));
                }
            }
        }
        deliveries.sort(Comparator.comparing(Delivery::at));

        TestClock clock = new TestClock(DAY0);
        try (RunStore store = createStore(clock, RETENTION)) {
            Instant nextPass = DAY0.plus(Duration.ofHours(3));
            int missed = 0;
            int i = 0;
            while (i < deliveries.size()) {
                // A batch: up to 4 deliveries that arrive within an hour of the first.
                int to = i + 1;
                int batch = 1 + rnd.nextInt(4);
                while (to < deliveries.size() && to - i < batch
                        && !deliveries.get(to).at().isAfter(deliveries.get(i).at().plus(Duration.ofHours(1)))) {
                    to++;
                }
                Instant at = deliveries.get(to - 1).at();
                while (!nextPass.isAfter(at)) {
                    clock.set(nextPass);
                    // A pass is missed now and then, at most the run retention less 4 days in a row (see Rollups).
                    if (missed == 3 || rnd.nextInt(5) > 0) {
                        store.rollups().materialize();
                        missed = 0;
                    } else {
                        missed++;
                    }
                    nextPass = nextPass.plus(Duration.ofDays(1));
                }
                clock.set(at);
                store.applyAll(deliveries.subList(i, to).stream().map(Delivery::event).toList());
                i = to;
            }
            LocalDate first = LocalDate.ofInstant(DAY0, ZoneOffset.UTC);
            LocalDate last = first.plusDays(16);
            Map<String, DailyRollup> expected = expected(truths);

            clock.set(nextPass);
            store.rollups().materialize();
            assertThat(read(store, first, last)).as("while the runs are kept (seed %d)", seed).isEqualTo(expected);

            for (int d = 1; d <= 9; d++) {
                clock.advance(Duration.ofDays(1));
                store.rollups().materialize();
            }
            assertThat(read(store, first, last)).as("after the runs expired (seed %d)", seed).isEqualTo(expected);
        }
    }

    private static Map<String, DailyRollup> expected(List<Truth> truths) {
        Map<String, JobDay.Builder> days = new TreeMap<>();
        for (Truth t : truths) {
            days.computeIfAbsent(t.job().id() + " " + t.day(), k -> new JobDay.Builder(t.job(), t.day())).run(t.line());
        }
        Map<String, DailyRollup> out = new TreeMap<>();
        days.forEach((k, b) -> out.put(k, b.build().rollup()));
        return out;
    }

    private static Map<String, DailyRollup> read(RunStore store, LocalDate first, LocalDate last) {
        Map<String, DailyRollup> out = new TreeMap<>();
        store.rollups().days(first, last, null, d -> {
            DailyRollup previous = out.put(d.job().id() + " " + d.day(), d.rollup());
            assertThat(previous).as("one entry per job and day").isNull();
        });
        return out;
    }
}
