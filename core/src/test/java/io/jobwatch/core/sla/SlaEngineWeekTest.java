package io.jobwatch.core.sla;

import static io.jobwatch.core.sla.SlaFixtures.JOB;
import static io.jobwatch.core.sla.SlaFixtures.context;
import static io.jobwatch.core.sla.SlaFixtures.expect;
import static io.jobwatch.core.sla.SlaFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.MaintenanceWindow;
import io.jobwatch.core.sla.SlaFixtures.Exp;
import io.jobwatch.core.sla.SlaFixtures.R;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The SLA engine over simulated weeks (week of Mon 2 March 2026, and the DST change days): each case is a job's
 * expectations, its runs, and what must hold at given instants ("" = no breach; else KIND@expectedAt, comma-joined).
 */
class SlaEngineWeekTest {
    private static final Duration M20 = Duration.ofMinutes(20);
    private final SlaEngine engine = new SlaEngine();

    record Check(String at, String expected) {
    }

    record Case(String name, JobPolicy policy, List<R> runs, List<Check> checks) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Check at(String at, String expected) {
        return new Check(at, expected);
    }

    static Case job(String name, Exp e, List<R> runs, Check... checks) {
        return new Case(name, policy(JOB, e), runs, List.of(checks));
    }

    /** A successful run at HH:MM (UTC) on each of the given March 2026 days. */
    static List<R> daily(String hhmm, int... days) {
        List<R> out = new ArrayList<>();
        for (int d : days) {
            out.add(R.ok("jr_" + d, String.format("2026-03-%02dT%s:00Z", d, hhmm), M20));
        }
        return out;
    }

    static Stream<Case> cases() {
        List<R> every15 = new ArrayList<>();
        for (Instant t = Instant.parse("2026-03-04T00:00:00Z"); !t.isAfter(Instant.parse("2026-03-04T10:00:00Z"));
             t = t.plus(Duration.ofMinutes(15))) {
            every15.add(new R("r" + t.getEpochSecond(), t.plusSeconds(20), t.plusSeconds(80),
                    io.jobwatch.core.run.RunState.SUCCEEDED));
        }
        List<R> twice = new ArrayList<>(daily("06:01", 2, 3, 4));
        twice.add(R.ok("again", "2026-03-04T09:00:00Z", M20));
        List<R> hourlyUntil21 = new ArrayList<>();
        for (int h = 0; h <= 21; h++) {
            hourlyUntil21.add(R.ok("h" + h, String.format("2026-03-05T%02d:00:30Z", h), Duration.ofMinutes(5)));
        }
        return Stream.of(
                job("weekday-only cron: Friday missed, weekend quiet until Monday's run",
                        expect("cron(0 6 ? * MON-FRI *)", "Europe/Lisbon"), daily("06:01", 2, 3, 4, 5, 9),
                        at("2026-03-06T06:14:00Z", ""),
                        at("2026-03-06T06:15:00Z", "MISSING@2026-03-06T06:00:00Z"),
                        at("2026-03-07T12:00:00Z", "MISSING@2026-03-06T06:00:00Z"),
                        at("2026-03-09T06:10:00Z", ""),
                        at("2026-03-05T23:59:00Z", "")),
                job("weekday-only cron that runs every weekday: never a breach at the weekend",
                        expect("cron(0 6 ? * MON-FRI *)", "Europe/Lisbon"), daily("06:01", 2, 3, 4, 5, 6),
                        at("2026-03-07T06:30:00Z", ""), at("2026-03-08T23:00:00Z", ""), at("2026-03-09T06:14:59Z", ""),
                        at("2026-03-09T06:15:00Z", "MISSING@2026-03-09T06:00:00Z")),
                job("DST Lisbon: 06:00 local is 05:00Z after the spring change",
                        expect("cron(0 6 * * ? *)", "Europe/Lisbon"), List.of(R.ok("sat", "2026-03-28T06:01:00Z", M20)),
                        at("2026-03-29T05:14:00Z", ""), at("2026-03-29T05:15:00Z", "MISSING@2026-03-29T05:00:00Z")),
                job("DST Lisbon: 01:30 does not exist on 29 March, so nothing is expected that day",
                        expect("cron(30 1 * * ? *)", "Europe/Lisbon"), List.of(R.ok("sat", "2026-03-28T01:31:00Z", M20)),
                        at("2026-03-29T12:00:00Z", ""), at("2026-03-30T00:44:00Z", ""),
                        at("2026-03-30T00:45:00Z", "MISSING@2026-03-30T00:30:00Z")),
                job("DST New York spring: 06:00 EDT is 10:00Z",
                        expect("cron(0 6 * * ? *)", "America/New_York"), List.of(R.ok("sat", "2026-03-07T11:01:00Z", M20)),
                        at("2026-03-08T10:14:00Z", ""), at("2026-03-08T10:15:00Z", "MISSING@2026-03-08T10:00:00Z")),
                job("DST New York fall back: 01:30 happens twice and is expected once (first)",
                        expect("cron(30 1 * * ? *)", "America/New_York"), List.of(R.ok("first", "2026-11-01T05:31:00Z", M20)),
                        at("2026-11-01T06:50:00Z", ""), at("2026-11-01T23:00:00Z", "")),
                job("DST New York fall back, not run: missing from the first 01:30",
                        expect("cron(30 1 * * ? *)", "America/New_York"), List.of(R.ok("sat", "2026-10-31T05:31:00Z", M20)),
                        at("2026-11-01T05:44:00Z", ""), at("2026-11-01T05:45:00Z", "MISSING@2026-11-01T05:30:00Z"),
                        at("2026-11-01T06:50:00Z", "MISSING@2026-11-01T05:30:00Z")),
                job("rate(15 minutes): missing 15m + grace after the last start, then follows the period",
                        expect("rate(15 minutes)", "UTC").grace(Duration.ofMinutes(5)), every15,
                        at("2026-03-04T10:20:19Z", ""), at("2026-03-04T10:20:20Z", "MISSING@2026-03-04T10:15:20Z"),
                        at("2026-03-04T10:50:30Z", "MISSING@2026-03-04T10:45:20Z")),
                job("month-end L: expected on 31 March, not on the 15th",
                        expect("cron(0 22 L * ? *)", "UTC").grace(Duration.ofHours(1)),
                        List.of(R.ok("feb", "2026-02-28T22:01:00Z", M20)),
                        at("2026-03-15T12:00:00Z", ""), at("2026-03-31T22:59:00Z", ""),
                        at("2026-03-31T23:00:00Z", "MISSING@2026-03-31T22:00:00Z")),
                job("runs a little early (within grace): counts",
                        expect("cron(0 6 * * ? *)", "UTC"), List.of(R.ok("early", "2026-03-03T05:50:00Z", M20)),
                        at("2026-03-03T06:15:00Z", ""), at("2026-03-04T06:14:00Z", "")),
                job("runs far too early (beyond grace): the expected start is still missing",
                        expect("cron(0 6 * * ? *)", "UTC"), List.of(R.ok("early", "2026-03-03T05:30:00Z", M20)),
                        at("2026-03-03T06:15:00Z", "MISSING@2026-03-03T06:00:00Z")),
                job("runs late: missing after grace, cleared by the late start",
                        expect("cron(0 6 * * ? *)", "UTC"), List.of(R.running("late", "2026-03-03T06:40:00Z")),
                        at("2026-03-03T06:30:00Z", "MISSING@2026-03-03T06:00:00Z"), at("2026-03-03T06:40:00Z", "")),
                job("runs twice a day: no breach",
                        expect("cron(0 6 * * ? *)", "UTC").deadline("07:30"), twice,
                        at("2026-03-04T10:00:00Z", ""), at("2026-03-04T23:00:00Z", "")),
                job("never runs: missing from the first expected start, with nothing seen",
                        expect("cron(30 5 * * ? *)", "Europe/Lisbon").grace(Duration.ofMinutes(30)), List.of(),
                        at("2026-03-04T06:00:00Z", "MISSING@2026-03-04T05:30:00Z"),
                        at("2026-03-05T05:59:00Z", "MISSING@2026-03-04T05:30:00Z"),
                        at("2026-03-05T06:00:00Z", "MISSING@2026-03-05T05:30:00Z")),
                job("deadline: started but still running after 07:30 (+grace) is late, until it succeeds",
                        expect("cron(0 6 * * ? *)", "Europe/Lisbon").deadline("07:30"),
                        List.of(new R("slow", Instant.parse("2026-03-03T06:05:00Z"), Instant.parse("2026-03-03T08:00:00Z"),
                                io.jobwatch.core.run.RunState.SUCCEEDED)),
                        at("2026-03-03T07:44:00Z", ""), at("2026-03-03T07:45:00Z", "LATE@2026-03-03T07:30:00Z"),
                        at("2026-03-03T08:00:00Z", ""), at("2026-03-03T23:00:00Z", "")),
                job("deadline: failed run is late; a re-run that succeeds in time is not",
                        expect("cron(0 6 * * ? *)", "Europe/Lisbon").deadline("07:30"),
                        List.of(R.failed("f1", "2026-03-03T06:01:00Z", Duration.ofMinutes(3)),
                                R.failed("f2", "2026-03-04T06:01:00Z", Duration.ofMinutes(3)),
                                R.ok("ok2", "2026-03-04T06:30:00Z", M20)),
                        at("2026-03-03T07:45:00Z", "LATE@2026-03-03T07:30:00Z"),
                        at("2026-03-04T07:45:00Z", "")),
                job("deadline without a run: missing, not late",
                        expect("cron(0 6 * * ? *)", "Europe/Lisbon").deadline("07:30"), daily("06:01", 2),
                        at("2026-03-03T07:45:00Z", "MISSING@2026-03-03T06:00:00Z")),
                job("deadline without schedule: no run by the deadline is missing",
                        expect(null, "Europe/Lisbon").deadline("07:30"), daily("06:01", 2),
                        at("2026-03-03T07:44:00Z", ""), at("2026-03-03T07:45:00Z", "MISSING@2026-03-03T07:30:00Z")),
                job("max duration: a run longer than 2h is too long (strictly past 2h)",
                        expect("cron(0 3 * * ? *)", "UTC").max(Duration.ofHours(2)),
                        List.of(R.running("long", "2026-03-03T03:00:00Z")),
                        at("2026-03-03T05:00:00Z", ""), at("2026-03-03T05:01:00Z", "LONG_RUNNING@2026-03-03T05:00:00Z")),
                job("min duration: a success in 2s instead of 20m is too short",
                        expect("cron(0 6 * * ? *)", "UTC").min(Duration.ofMinutes(5)),
                        List.of(R.ok("fast", "2026-03-03T06:01:00Z", Duration.ofSeconds(2))),
                        at("2026-03-03T08:00:00Z", "TOO_SHORT@2026-03-03T06:01:00Z")),
                new Case("maintenance 22:00-02:00: quiet inside, no catch-up after, the next expected start counts",
                        policy(JOB, expect("cron(0 * * * ? *)", "UTC").grace(Duration.ofMinutes(10)),
                                new MaintenanceWindow.Fixed(Instant.parse("2026-03-05T22:00:00Z"),
                                        Instant.parse("2026-03-06T02:00:00Z"))),
                        hourlyUntil21, List.of(
                        at("2026-03-05T21:10:00Z", ""), at("2026-03-05T22:10:00Z", ""), at("2026-03-06T01:59:00Z", ""),
                        at("2026-03-06T02:05:00Z", ""), at("2026-03-06T02:09:59Z", ""),
                        at("2026-03-06T02:10:00Z", "MISSING@2026-03-06T02:00:00Z"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void evaluate_reportsExactlyTheExpectedBreaches_overTheWeek(Case c) {
        JobContext ctx = context(c.policy(), c.runs());
        for (Check check : c.checks()) {
            Instant now = Instant.parse(check.at());
            String got = engine.evaluate(now, ctx).stream().map(b -> b.kind() + "@" + b.expectedAt())
                    .collect(Collectors.joining(","));
            assertThat(got).as("%s at %s", c.name(), check.at()).isEqualTo(check.expected());
        }
    }
}
