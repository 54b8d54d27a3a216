package io.jobwatch.core.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ExportPlanTest {

    @Test
    void week_coversMondayToSunday() {
        ExportPlan p = ExportPlan.week("2026-W47");
        assertThat(p.from()).isEqualTo(LocalDate.of(2026, 11, 16));
        assertThat(p.to()).isEqualTo(LocalDate.of(2026, 11, 22));
        assertThat(p.days()).hasSize(7);
        assertThat(p.name()).isEqualTo("2026-W47");
        assertThat(p.window()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void week_acrossTheYearBoundary_usesTheIsoWeekBasedYear() {
        ExportPlan p = ExportPlan.week("2026-W53");
        assertThat(p.from()).isEqualTo(LocalDate.of(2026, 12, 28));
        assertThat(p.to()).isEqualTo(LocalDate.of(2027, 1, 3));
    }

    @Test
    void week_rejectsMalformedAndNonexistentWeeks() {
        assertThatThrownBy(() -> ExportPlan.week("2026-47"))
                .hasMessage("not an ISO week: '2026-47' (expected YYYY-Www, e.g. 2026-W47)");
        assertThatThrownBy(() -> ExportPlan.week("2025-W53"))
                .hasMessage("no such ISO week: '2025-W53' (year 2025 has weeks W01 to W52)");
    }

    @Test
    void days_namedByWeekOnlyWhenExactlyOneIsoWeek() {
        assertThat(ExportPlan.days(LocalDate.of(2026, 11, 16), LocalDate.of(2026, 11, 22)).name()).isEqualTo("2026-W47");
        assertThat(ExportPlan.days(LocalDate.of(2026, 11, 17), LocalDate.of(2026, 11, 18)).name())
                .isEqualTo("2026-11-17_2026-11-18");
    }

    @Test
    void days_rejectsReversedAndOverlongRanges() {
        assertThatThrownBy(() -> ExportPlan.days(LocalDate.of(2026, 11, 18), LocalDate.of(2026, 11, 17)))
                .hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> ExportPlan.days(LocalDate.of(2026, 1, 1), LocalDate.of(2026, 3, 31)))
                .hasMessageContaining("at most 62 per export");
    }

    @Test
    void lastCompleteWeek_isThePreviousIsoWeek_evenOnMondayMorning() {
        Clock monday = Clock.fixed(Instant.parse("2026-11-23T00:05:00Z"), ZoneOffset.UTC);
        Clock sunday = Clock.fixed(Instant.parse("2026-11-22T23:59:59Z"), ZoneOffset.UTC);
        assertThat(ExportPlan.lastCompleteWeek(monday).name()).isEqualTo("2026-W47");
        assertThat(ExportPlan.lastCompleteWeek(sunday).name()).isEqualTo("2026-W46");
    }

    @Test
    void keys_dependOnTheDayOnly_andManifestsLiveOutsideRuns() {
        assertThat(ExportPlan.objectKey(LocalDate.of(2026, 11, 16))).isEqualTo("runs/dt=2026-11-16/runs.csv.gz");
        assertThat(ExportPlan.week("2026-W47").manifestKey()).isEqualTo("manifests/2026-W47.json");
    }

    @Test
    void checkRetention_acceptsRetentionOfAtLeastWindowPlusMargin() {
        ExportPlan.checkRetention(Duration.ofDays(9), Duration.ofDays(7), Duration.ofDays(2));
        ExportPlan.checkRetention(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(2));
    }

    @Test
    void checkRetention_refusesRetentionShorterThanWindowPlusMargin() {
        assertThatThrownBy(() -> ExportPlan.checkRetention(Duration.ofDays(7), Duration.ofDays(7), Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("run retention 7 days is shorter than the export window 7 days plus margin 2 days: runs"
                        + " would expire before the weekly export reads them. Set the run retention to at least"
                        + " 9 days (or export a shorter window more often).");
        assertThatThrownBy(() -> ExportPlan.checkRetention(Duration.ofDays(9).minusSeconds(1), Duration.ofDays(7),
                Duration.ofDays(2))).hasMessageContaining("at least 9 days");
        assertThatThrownBy(() -> ExportPlan.checkRetention(Duration.ZERO, Duration.ofDays(7), Duration.ZERO))
                .hasMessageContaining("must be positive");
    }

    @org.junit.jupiter.api.Test
    void minimumRetention_isTheDay_theLag_andTheMargin() {
        org.assertj.core.api.Assertions.assertThat(ExportPlan.MINIMUM_RETENTION).isEqualTo(java.time.Duration.ofDays(1)
                .plus(ExportPlan.SCHEDULED_LAG).plus(ExportPlan.DEFAULT_MARGIN));
    }
}
