package io.jobwatch.core.export;

import static io.jobwatch.core.export.Rows.gunzip;
import static io.jobwatch.core.export.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.MemoryExportDestination;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WeeklyExporterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T01:00:00Z"), ZoneOffset.UTC);

    /** Day n of the week gets n runs: n-1 succeeded and, from Tuesday on, one failed. */
    private static final ExportSource WEEK = (day, sink) -> {
        int n = day.getDayOfWeek().getValue();
        for (int i = 0; i < n; i++) {
            sink.accept(row(day + "#" + i, i == 0 && n > 1 ? RunState.FAILED : RunState.SUCCEEDED, null));
        }
    };

    @Test
    void export_writesOneObjectPerDayAndAManifest() throws Exception {
        MemoryExportDestination dest = new MemoryExportDestination();
        Manifest m = new WeeklyExporter(WEEK, dest, CLOCK, 3).export(ExportPlan.week("2026-W47"));

        assertThat(dest.objects.keySet()).containsExactlyInAnyOrder(
                "runs/dt=2026-11-16/runs.csv.gz", "runs/dt=2026-11-17/runs.csv.gz", "runs/dt=2026-11-18/runs.csv.gz",
                "runs/dt=2026-11-19/runs.csv.gz", "runs/dt=2026-11-20/runs.csv.gz", "runs/dt=2026-11-21/runs.csv.gz",
                "runs/dt=2026-11-22/runs.csv.gz", "manifests/2026-W47.json");
        assertThat(gunzip(dest.objects.get("runs/dt=2026-11-18/runs.csv.gz")).split("\r\n")).hasSize(1 + 3);
        assertThat(m.rows()).isEqualTo(28);
        assertThat(m.states()).containsEntry(RunState.FAILED, 6L).containsEntry(RunState.SUCCEEDED, 22L)
                .containsEntry(RunState.RUNNING, 0L);
        assertThat(m.durationSecondsSum()).isEqualTo(28 * 125);
        assertThat(m.generatedAt()).isEqualTo(CLOCK.instant());
        assertThat(m.objects()).extracting(Manifest.ObjectEntry::day).containsExactlyElementsOf(
                ExportPlan.week("2026-W47").days());
        assertThat(m.objects().get(6).rows()).isEqualTo(7);
        assertThat(m.objects().get(0).bytes()).isEqualTo(dest.objects.get("runs/dt=2026-11-16/runs.csv.gz").length);
        String json = new String(dest.objects.get("manifests/2026-W47.json"), StandardCharsets.UTF_8);
        assertThat(json).contains("\"rows\" : 28", "\"FAILED\" : 6", "\"sha256\" : \"" + m.objects().get(0).sha256(),
                "\"generatedAt\" : \"2026-11-23T01:00:00Z\"");
    }

    @Test
    void export_ofTheSameWeekAgain_writesTheSameKeysAndBytes() throws Exception {
        MemoryExportDestination dest = new MemoryExportDestination();
        WeeklyExporter exporter = new WeeklyExporter(WEEK, dest, CLOCK, 2);
        Manifest first = exporter.export(ExportPlan.week("2026-W47"));
        Manifest second = exporter.export(ExportPlan.week("2026-W47"));
        assertThat(dest.objects).hasSize(8);
        assertThat(second).isEqualTo(first);
    }

    @Test
    void export_ofADayWithoutRuns_writesAHeaderOnlyObject_soAReExportReplacesOldRows() throws Exception {
        MemoryExportDestination dest = new MemoryExportDestination();
        Manifest m = new WeeklyExporter((day, sink) -> { }, dest, CLOCK, 1)
                .export(ExportPlan.days(LocalDate.of(2026, 11, 16), LocalDate.of(2026, 11, 16)));
        assertThat(gunzip(dest.objects.get("runs/dt=2026-11-16/runs.csv.gz"))).startsWith("run_id,").hasLineCount(1);
        assertThat(m.rows()).isZero();
        assertThat(m.startedAtMin()).isNull();
    }

    @Test
    void export_whenADayFails_discardsThatObject_andWritesNoManifest() {
        MemoryExportDestination dest = new MemoryExportDestination();
        ExportSource failing = (day, sink) -> {
            sink.accept(row("x", RunState.SUCCEEDED, null));
            if (day.equals(LocalDate.of(2026, 11, 18))) {
                throw new IllegalStateException("store unavailable");
            }
        };
        assertThatThrownBy(() -> new WeeklyExporter(failing, dest, CLOCK, 1).export(ExportPlan.week("2026-W47")))
                .isInstanceOf(ExportFailedException.class)
                .hasMessage("export 2026-W47: day 2026-11-18 (memory:runs/dt=2026-11-18/runs.csv.gz) failed:"
                        + " store unavailable; no manifest written, re-run the export");
        assertThat(dest.objects).doesNotContainKeys("runs/dt=2026-11-18/runs.csv.gz", "manifests/2026-W47.json");
        assertThat(dest.discarded.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void export_readsAtMostParallelismDaysAtOnce() throws Exception {
        AtomicInteger active = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExportSource counting = (day, sink) -> {
            int now = active.incrementAndGet();
            peak.accumulateAndGet(now, Math::max);
            WEEK.rowsOfDay(day, sink);
            active.decrementAndGet();
        };
        new WeeklyExporter(counting, new MemoryExportDestination(), CLOCK, 2).export(ExportPlan.week("2026-W47"));
        assertThat(peak.get()).isBetween(1, 2);
    }
}
