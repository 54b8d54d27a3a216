package io.jobwatch.cli.export;

import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.ExportRow;
import io.jobwatch.core.export.ExportSource;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.sim.SimOptions;
import io.jobwatch.core.sim.Simulator;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * INTERIM export source until the run store is merged: simulates the plan's days, normalizes the events and folds
 * them into each run's latest state in memory (a week of the seed's estate is ~10,000 runs). Replace it by the
 * store-backed source (RunStore + Catalog); see notes/export-MERGE.md. No catalog yet, so team and criticality are
 * empty and system comes from the simulator's accounts.
 */
public final class SimulatedExportSource implements ExportSource {
    private final Map<LocalDate, List<ExportRow>> byDay;

    private SimulatedExportSource(Map<LocalDate, List<ExportRow>> byDay) {
        this.byDay = byDay;
    }

    /** Simulates the plan's days with {@code seed} and folds them into runs. */
    public static SimulatedExportSource forPlan(ExportPlan plan, long seed) {
        Simulator sim = new Simulator(SimOptions.defaults().withSeed(seed));
        EventNormalizer normalizer = new EventNormalizer();
        Map<RunKey, Fold> runs = new LinkedHashMap<>();
        Map<JobKey, String> openCrawlerRun = new HashMap<>();
        sim.simulate(plan.from(), plan.days().size(), d -> {
            if (normalizer.normalize(d.event()) instanceof Normalization.Normalized n) {
                RunEvent e = n.event();
                String runId = e.runId() != null ? e.runId() : openCrawlerRun.get(e.job());
                if (runId == null) {
                    return; // a crawler end without a start in the window
                }
                if (e.runId() != null && e.job().source() == JobSource.GLUE_CRAWLER) {
                    openCrawlerRun.put(e.job(), runId); // its end event carries no run id: pair it with this start
                }
                runs.computeIfAbsent(new RunKey(e.job(), runId), k -> new Fold()).apply(e);
            }
        });
        Map<LocalDate, List<ExportRow>> byDay = new HashMap<>();
        runs.forEach((key, fold) -> {
            ExportRow row = fold.row(key);
            Instant anchor = row.startedAt() != null ? row.startedAt() : row.firstSeen();
            byDay.computeIfAbsent(LocalDate.ofInstant(anchor, ZoneOffset.UTC), d -> new ArrayList<>()).add(row);
        });
        return new SimulatedExportSource(byDay);
    }

    @Override
    public void rowsOfDay(LocalDate day, Consumer<ExportRow> sink) {
        byDay.getOrDefault(day, List.of()).forEach(sink);
    }

    /** A run's latest state: terminal states never regress; duplicate events are ignored. */
    private static final class Fold {
        final Set<String> eventIds = new HashSet<>();
        RunEvent latest;
        Instant startedAt;
        Instant endedAt;
        String error;
        Instant firstSeen;
        Instant lastUpdated;

        void apply(RunEvent e) {
            if (!eventIds.add(e.eventId())) {
                return;
            }
            if (firstSeen == null || e.eventTime().isBefore(firstSeen)) {
                firstSeen = e.eventTime();
            }
            if (startedAt == null || (e.startedAt() != null && e.startedAt().isBefore(startedAt))) {
                startedAt = e.startedAt() != null ? e.startedAt() : startedAt;
            }
            boolean newer = latest == null || e.state().rank() > latest.state().rank()
                    || (!latest.state().terminal() && e.state().rank() == latest.state().rank()
                        && e.eventTime().isAfter(latest.eventTime()));
            if (newer) {
                latest = e;
                lastUpdated = e.eventTime();
                if (e.endedAt() != null) {
                    endedAt = e.endedAt();
                }
                if (e.error() != null) {
                    error = e.error();
                }
            }
        }

        ExportRow row(RunKey key) {
            JobKey job = key.job();
            Instant end = latest.state().terminal() ? (endedAt != null ? endedAt : latest.eventTime()) : null;
            return new ExportRow(key.runId(), job.source(), job.account(),
                    Simulator.ACCOUNTS.get(job.account()), job.region(), job.jobName(), null, null,
                    latest.state(), latest.sourceState(), startedAt, end, ExportRow.durationSeconds(startedAt, end),
                    latest.state() == RunState.SUCCEEDED ? null : error, null, eventIds.size(), firstSeen,
                    lastUpdated);
        }
    }
}
