package io.jobwatch.core.digest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestScheduleTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private final DigestSchedule schedule = DigestSchedule.defaults(BERLIN);

    @Test
    void currentWindow_justAfterElevenIsSinceSix() {
        // 25 Nov 2026: Berlin is UTC+1
        DigestWindow w = schedule.currentWindow(Instant.parse("2026-11-25T10:00:05Z"));
        assertThat(w).isEqualTo(new DigestWindow(Instant.parse("2026-11-25T05:00:00Z"), Instant.parse("2026-11-25T10:00:00Z")));
    }

    @Test
    void currentWindow_atExactlyTheScheduledTime_endsThere() {
        assertThat(schedule.currentWindow(Instant.parse("2026-11-25T10:00:00Z")).to()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(schedule.currentWindow(Instant.parse("2026-11-25T09:59:59Z")).to()).isEqualTo(Instant.parse("2026-11-25T05:00:00Z"));
    }

    @Test
    void currentWindow_ofTheMorningDigest_coversTheNight() {
        DigestWindow w = schedule.currentWindow(Instant.parse("2026-11-25T05:30:00Z"));
        assertThat(w.from()).isEqualTo(Instant.parse("2026-11-24T18:00:00Z"));
        assertThat(w.length()).isEqualTo(Duration.ofHours(11));
    }

    @Test
    void windowBefore_isThePreviousDigestsWindow() {
        DigestWindow w = schedule.currentWindow(Instant.parse("2026-11-25T10:00:05Z"));
        assertThat(schedule.windowBefore(w)).isEqualTo(new DigestWindow(Instant.parse("2026-11-24T18:00:00Z"), Instant.parse("2026-11-25T05:00:00Z")));
    }

    @Test
    void nightWindow_isAnHourShorter_acrossSpringForward() {
        // 29 Mar 2026 02:00 CET -> 03:00 CEST
        DigestWindow w = schedule.currentWindow(Instant.parse("2026-03-29T04:00:00Z"));
        assertThat(w.to()).isEqualTo(Instant.parse("2026-03-29T04:00:00Z")); // 06:00 CEST
        assertThat(w.from()).isEqualTo(Instant.parse("2026-03-28T18:00:00Z")); // 19:00 CET
        assertThat(w.length()).isEqualTo(Duration.ofHours(10));
    }

    @Test
    void nightWindow_isAnHourLonger_acrossFallBack() {
        // 25 Oct 2026 03:00 CEST -> 02:00 CET
        DigestWindow w = schedule.currentWindow(Instant.parse("2026-10-25T05:00:00Z"));
        assertThat(w.to()).isEqualTo(Instant.parse("2026-10-25T05:00:00Z")); // 06:00 CET
        assertThat(w.length()).isEqualTo(Duration.ofHours(12));
    }

    @Test
    void timeInSpringForwardGap_movesForwardByTheGap() {
        DigestSchedule s = new DigestSchedule(BERLIN, List.of(LocalTime.of(2, 30)));
        // 02:30 does not exist on 29 Mar 2026; it fires at 03:30 CEST = 01:30Z
        assertThat(s.nextAfter(Instant.parse("2026-03-29T00:00:00Z"))).isEqualTo(Instant.parse("2026-03-29T01:30:00Z"));
    }

    @Test
    void timeInFallBackOverlap_firesOnce_atTheEarlierOffset() {
        DigestSchedule s = new DigestSchedule(BERLIN, List.of(LocalTime.of(2, 30)));
        Instant first = s.nextAfter(Instant.parse("2026-10-24T23:00:00Z"));
        assertThat(first).isEqualTo(Instant.parse("2026-10-25T00:30:00Z")); // 02:30 CEST
        assertThat(s.nextAfter(first)).isEqualTo(Instant.parse("2026-10-26T01:30:00Z")); // next day, 02:30 CET
    }

    @Test
    void singleTimeSchedule_windowIsOneDay() {
        DigestSchedule s = new DigestSchedule(ZoneId.of("UTC"), List.of(LocalTime.of(7, 0)));
        DigestWindow w = s.currentWindow(Instant.parse("2026-11-25T12:00:00Z"));
        assertThat(w).isEqualTo(new DigestWindow(Instant.parse("2026-11-24T07:00:00Z"), Instant.parse("2026-11-25T07:00:00Z")));
    }

    @Test
    void parse_acceptsCatalogForm_andSortsTimes() {
        DigestSchedule s = DigestSchedule.parse(BERLIN, "19:00, 06:00,11:00 ,15:00");
        assertThat(s.times()).isEqualTo(DigestSchedule.DEFAULT_TIMES);
    }

    @Test
    void parse_namesTheBadTime_andTheExpectedForm() {
        assertThatThrownBy(() -> DigestSchedule.parse(BERLIN, "06:00, 11h"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'11h'").hasMessageContaining("HH:mm");
        assertThatThrownBy(() -> DigestSchedule.parse(BERLIN, "06:00,06:00"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeat");
    }

    @Test
    void window_rejectsEmptyOrBackwards() {
        Instant t = Instant.parse("2026-11-25T10:00:00Z");
        assertThatThrownBy(() -> new DigestWindow(t, t)).isInstanceOf(IllegalArgumentException.class);
        assertThat(DigestWindow.endingAt(t, Duration.ofHours(6)).previous())
                .isEqualTo(new DigestWindow(t.minusSeconds(12 * 3600), t.minusSeconds(6 * 3600)));
    }
}
