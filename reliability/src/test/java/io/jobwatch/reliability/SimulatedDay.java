package io.jobwatch.reliability;

import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunStore;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/** Test data: a simulated day of the seed's estate, normalized, and the helpers to deliver it badly and compare. */
final class SimulatedDay {
    static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    private SimulatedDay() {
    }

    /** The day's events in delivery order (no duplicates, no reordering), limited to the jobs {@code keep} accepts. */
    static List<RunEvent> inOrder(Predicate<JobKey> keep) {
        EventNormalizer normalizer = new EventNormalizer();
        List<RunEvent> events = new ArrayList<>();
        new Simulator(SimOptions.defaults()).simulate(DAY, 1, d -> {
            if (normalizer.normalize(d.event()) instanceof Normalization.Normalized n && keep.test(n.event().job())) {
                events.add(n.event());
            }
        });
        return events;
    }

    /** One day's event as EventBridge delivers it (the JSON) and as the store sees it (normalized). */
    record Delivered(com.fasterxml.jackson.databind.JsonNode json, RunEvent event) {
    }

    /** The day's events as delivered (JSON and normalized), in delivery order, for the jobs {@code keep} accepts. */
    static List<Delivered> delivered(Predicate<JobKey> keep) {
        EventNormalizer normalizer = new EventNormalizer();
        List<Delivered> out = new ArrayList<>();
        new Simulator(SimOptions.defaults()).simulate(DAY, 1, d -> {
            if (normalizer.normalize(d.event()) instanceof Normalization.Normalized n && keep.test(n.event().job())) {
                out.add(new Delivered(d.event().deepCopy(), n.event()));
            }
        });
        return out;
    }

    /** Every event {@code copies} times, shuffled with a fixed seed. */
    static List<RunEvent> storm(List<RunEvent> events, int copies, long seed) {
        List<RunEvent> out = new ArrayList<>(events.size() * copies);
        for (int i = 0; i < copies; i++) {
            out.addAll(events);
        }
        Collections.shuffle(out, new Random(seed));
        return out;
    }

    static void applyInBatches(RunStore store, List<RunEvent> events, int batch) {
        for (int i = 0; i < events.size(); i += batch) {
            store.applyAll(events.subList(i, Math.min(i + batch, events.size())));
        }
    }

    /** What the digest, dashboard and SLA checks read: every job's summary and its runs (newest first). */
    record Snapshot(List<JobSummary> summaries, Map<String, List<Run>> runs) {
        long runCount() {
            return runs.values().stream().mapToLong(List::size).sum();
        }

        long eventCount() {
            return runs.values().stream().flatMap(List::stream).mapToLong(Run::eventCount).sum();
        }
    }

    /**
     * Asserts the runs are identical (the first differing job is reported, not two 500-element lists) and the job
     * summaries agree on what is order-independent by design (the job set, the finished-run count); returns how many
     * summaries name a different latest run than in-order delivery did (see RELIABILITY.md: the summary's recent-run
     * slots are last-writer-wins by arrival, so a late older run that hashes to a newer run's slot evicts it).
     */
    static long assertSame(Snapshot actual, Snapshot expected) {
        assertSameRuns(actual, expected);
        org.assertj.core.api.Assertions.assertThat(actual.summaries()).hasSameSizeAs(expected.summaries());
        long latestDiffers = 0;
        for (int i = 0; i < expected.summaries().size(); i++) {
            var a = actual.summaries().get(i);
            var e = expected.summaries().get(i);
            org.assertj.core.api.Assertions.assertThat(a.job()).isEqualTo(e.job());
            org.assertj.core.api.Assertions.assertThat(a.runCount()).as(e.job().id()).isEqualTo(e.runCount());
            if (!a.latestRun().equals(e.latestRun())) {
                latestDiffers++;
            }
        }
        return latestDiffers;
    }

    static void assertSameRuns(Snapshot actual, Snapshot expected) {
        org.assertj.core.api.Assertions.assertThat(actual.runs().keySet()).isEqualTo(expected.runs().keySet());
        for (String job : expected.runs().keySet()) {
            org.assertj.core.api.Assertions.assertThat(actual.runs().get(job)).as(job)
                    .isEqualTo(expected.runs().get(job));
        }
    }

    /** Jobs whose summary is missing or counts a different number of finished runs than {@code expected}'s. */
    static List<String> summaryGaps(Snapshot actual, Snapshot expected) {
        Map<String, Long> counts = new LinkedHashMap<>();
        actual.summaries().forEach(s -> counts.put(s.job().id(), s.runCount()));
        return expected.summaries().stream().filter(s -> !Long.valueOf(s.runCount()).equals(counts.get(s.job().id())))
                .map(s -> s.job().id() + " (" + counts.getOrDefault(s.job().id(), 0L) + " of " + s.runCount() + ")")
                .toList();
    }

    static Snapshot snapshot(RunStore store, List<RunEvent> events) {
        Map<String, List<Run>> runs = new LinkedHashMap<>();
        events.stream().map(RunEvent::job).distinct().sorted((a, b) -> a.id().compareTo(b.id()))
                .forEach(job -> runs.put(job.id(), store.runsOfJob(job, 10_000)));
        return new Snapshot(store.latestPerJob(), runs);
    }
}
