package io.jobwatch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ScheduleTest {
    private static final ZoneId LISBON = ZoneId.of("Europe/Lisbon");

    private static Instant next(String expr, String after, ZoneId zone) {
        return Schedule.parse(expr).nextAfter(Instant.parse(after), zone).orElseThrow();
    }

    @Test
    void cron_daily0600Lisbon_isUtc0500InSummerAnd0600InWinter() {
        assertThat(next("cron(0 6 * * ? *)", "2026-07-01T00:00:00Z", LISBON)).isEqualTo("2026-07-01T05:00:00Z");
        assertThat(next("cron(0 6 * * ? *)", "2026-01-10T00:00:00Z", LISBON)).isEqualTo("2026-01-10T06:00:00Z");
    }

    @Test
    void cron_daily0600Lisbon_followsTheClockOnBothDstChangeDays() {
        // 2026-03-29: clocks go 01:00 -> 02:00; 2026-10-25: clocks go 02:00 -> 01:00.
        assertThat(next("cron(0 6 * * ? *)", "2026-03-28T06:00:00Z", LISBON)).isEqualTo("2026-03-29T05:00:00Z");
        assertThat(next("cron(0 6 * * ? *)", "2026-03-29T05:00:00Z", LISBON)).isEqualTo("2026-03-30T05:00:00Z");
        assertThat(next("cron(0 6 * * ? *)", "2026-10-24T05:00:00Z", LISBON)).isEqualTo("2026-10-25T06:00:00Z");
        assertThat(next("cron(0 6 * * ? *)", "2026-10-25T06:00:00Z", LISBON)).isEqualTo("2026-10-26T06:00:00Z");
    }

    @Test
    void cron_skipsALocalTimeThatDoesNotExist_onSpringForward() {
        // 01:30 does not exist in Lisbon on 2026-03-29: that day's run is skipped, as EventBridge Scheduler does.
        assertThat(next("cron(30 1 * * ? *)", "2026-03-28T01:30:00Z", LISBON)).isEqualTo("2026-03-30T00:30:00Z");
    }

    @Test
    void cron_runsOnce_inTheRepeatedHourOnFallBack() {
        // 01:30 happens twice in Lisbon on 2026-10-25 (00:30Z and 01:30Z): the job is due at the first one only.
        assertThat(next("cron(30 1 * * ? *)", "2026-10-24T23:00:00Z", LISBON)).isEqualTo("2026-10-25T00:30:00Z");
        assertThat(next("cron(30 1 * * ? *)", "2026-10-25T00:30:00Z", LISBON)).isEqualTo("2026-10-26T01:30:00Z");
    }

    @Test
    void previousAtOrBefore_includesTheInstantItselfAndWalksTheRepeatedHour() {
        Schedule.Cron c = (Schedule.Cron) Schedule.parse("cron(0/15 * * * ? *)");
        assertThat(c.previousAtOrBefore(Instant.parse("2026-05-01T10:15:00Z"), ZoneOffset.UTC))
                .contains(Instant.parse("2026-05-01T10:15:00Z"));
        assertThat(c.previousAtOrBefore(Instant.parse("2026-05-01T10:14:59Z"), ZoneOffset.UTC))
                .contains(Instant.parse("2026-05-01T10:00:00Z"));
        // 01:50Z is local 01:50 the second time round; the latest due start is the first-round 01:45 (00:45Z).
        assertThat(c.previousAtOrBefore(Instant.parse("2026-10-25T01:50:00Z"), LISBON))
                .contains(Instant.parse("2026-10-25T00:45:00Z"));
    }

    @Test
    void cron_supportsAwsSpecialCharacters() {
        // L: last day of the month; W: nearest weekday; #: nth weekday; names for months and days.
        assertThat(next("cron(0 12 L * ? *)", "2026-02-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-02-28T12:00:00Z");
        assertThat(next("cron(0 12 15W * ? *)", "2026-08-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-08-14T12:00:00Z");
        assertThat(next("cron(0 9 ? * 2#1 *)", "2026-06-01T10:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-07-06T09:00:00Z");
        assertThat(next("cron(0 9 ? * MON-FRI *)", "2026-06-05T10:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-06-08T09:00:00Z");
        assertThat(next("cron(0 9 ? * 6L *)", "2026-06-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-06-26T09:00:00Z");
        assertThat(next("cron(0 0 1 JAN ? 2030)", "2026-06-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2030-01-01T00:00:00Z");
    }

    @Test
    void cron_isEmpty_whenItsYearsArePast() {
        assertThat(Schedule.parse("cron(0 0 1 1 ? 2020)").nextAfter(Instant.parse("2026-01-01T00:00:00Z"), LISBON)).isEmpty();
    }

    @Test
    void parse_explainsAwsCronMistakes() {
        assertThatThrownBy(() -> Schedule.parse("cron(0 6 * * * *)")).hasMessageContaining("use ? in exactly one of"
                + " day-of-month and day-of-week (neither is ?)").hasMessageContaining("cron(0 6 * * ? *)");
        assertThatThrownBy(() -> Schedule.parse("cron(0 0 6 * * ? *)")).hasMessageContaining("no seconds field");
        assertThatThrownBy(() -> Schedule.parse("cron(0 6 * * *)")).hasMessageContaining("found 5")
                .hasMessageContaining("cron(0 6 * * ? *)");
        assertThatThrownBy(() -> Schedule.parse("cron(61 6 * * ? *)")).hasMessageContaining("invalid cron expression");
        assertThatThrownBy(() -> Schedule.parse("0 6 * * ? *")).hasMessageContaining("wrap the fields");
    }

    @Test
    void rate_parsesUnitsAndInsistsOnAwsSingularPlural() {
        assertThat(Schedule.parse("rate(4 hours)")).isEqualTo(new Schedule.Rate("rate(4 hours)", Duration.ofHours(4)));
        assertThat(((Schedule.Rate) Schedule.parse("rate(1 day)")).period()).isEqualTo(Duration.ofDays(1));
        assertThat(((Schedule.Rate) Schedule.parse("rate(15 minutes)")).period()).isEqualTo(Duration.ofMinutes(15));
        assertThatThrownBy(() -> Schedule.parse("rate(1 hours)")).hasMessageContaining("rate(1 hour)");
        assertThatThrownBy(() -> Schedule.parse("rate(5 minute)")).hasMessageContaining("rate(5 minutes)");
        assertThatThrownBy(() -> Schedule.parse("rate(0 minutes)")).hasMessageContaining("positive");
        assertThatThrownBy(() -> Schedule.parse("rate(2 weeks)")).hasMessageContaining("unknown unit 'weeks'");
    }

    @Test
    void rate_nextIsOnePeriodAfterThePreviousStart() {
        assertThat(next("rate(4 hours)", "2026-03-29T00:10:00Z", LISBON)).isEqualTo("2026-03-29T04:10:00Z");
    }
}
