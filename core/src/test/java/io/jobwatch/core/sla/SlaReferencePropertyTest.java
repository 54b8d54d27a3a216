package io.jobwatch.core.sla;

import static io.jobwatch.core.sla.SlaFixtures.JOB;
import static io.jobwatch.core.sla.SlaFixtures.context;
import static io.jobwatch.core.sla.SlaFixtures.expect;
import static io.jobwatch.core.sla.SlaFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.MaintenanceWindow;
import io.jobwatch.core.catalog.Schedule;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.sla.SlaFixtures.Exp;
import io.jobwatch.core.sla.SlaFixtures.R;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/**
 * For random schedules (cron daily / weekdays / hourly / every N minutes, rate), zones with DST, graces, deadlines,
 * maintenance windows and run histories, the engine reports MISSING / LATE at a minute iff a naive reference says so.
 * The reference lists expected starts forward (one after another from a week back), then decides each minute of a
 * six-hour span by scanning those lists and every run — no backward cron search, no shortcuts.
 */
class SlaReferencePropertyTest {
    private static final List<String> DAYS = List.of("2026-03-05", "2026-03-06", "2026-03-27", "2026-03-28",
            "2026-10-23", "2026-10-30", "2026-11-01", "2026-06-10");
    private static final List<String> ZONES = List.of("UTC", "Europe/Lisbon", "America/New_York");
    private static final Duration LOOKBACK = Duration.ofDays(8);

    private final SlaEngine engine = new SlaEngine();

    record Scenario(Schedule schedule, ZoneId zone, Duration grace, LocalTime deadline, MaintenanceWindow.Fixed window,
                    List<R> runs, Instant spanStart, List<Instant> firings) {
    }

    @Property(tries = 50, seed = "20260302")
    void engine_reportsMissingAndLate_exactlyWhenTheMinuteByMinuteReferenceDoes(
            @ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long seed) {
        Scenario s = scenario(new Random(seed));
        Exp e = expect(s.schedule().expression(), s.zone().getId()).grace(s.grace());
        if (s.deadline() != null) {
            e = e.deadline(s.deadline().toString());
        }
        JobPolicy policy = s.window() == null ? policy(JOB, e) : policy(JOB, e, s.window());
        JobContext ctx = context(policy, s.runs());
        for (int minute = 0; minute < 6 * 60; minute++) {
            Instant now = s.spanStart().plus(Duration.ofMinutes(minute));
            TreeSet<String> got = new TreeSet<>();
            for (Breach b : engine.evaluate(now, ctx)) {
                got.add(b.kind() + "@" + b.expectedAt());
            }
            assertThat(got).as("seed %d %s %s grace %s deadline %s window %s at %s; runs %s", seed, s.schedule(),
                    s.zone(), s.grace(), s.deadline(), s.window(), now, s.runs()).isEqualTo(reference(s, now));
        }
    }

    @org.junit.jupiter.api.Test
    void generatedScenarios_coverMissingLateAndQuietMinutes_soThePropertyCanFail() {
        int missing = 0;
        int late = 0;
        int quiet = 0;
        for (long seed = 1; seed <= 100; seed++) {
            Scenario s = scenario(new Random(seed));
            for (int minute = 0; minute < 6 * 60; minute += 30) {
                TreeSet<String> r = reference(s, s.spanStart().plus(Duration.ofMinutes(minute)));
                missing += r.stream().anyMatch(x -> x.startsWith("MISSING")) ? 1 : 0;
                late += r.stream().anyMatch(x -> x.startsWith("LATE")) ? 1 : 0;
                quiet += r.isEmpty() ? 1 : 0;
            }
        }
        assertThat(missing).isGreaterThan(60);
        assertThat(late).isGreaterThan(10);
        assertThat(quiet).isGreaterThan(60);
    }

    // ---- the naive reference -------------------------------------------------------------------------------------

    static TreeSet<String> reference(Scenario s, Instant m) {
        TreeSet<String> out = new TreeSet<>();
        if (s.window() != null && s.window().covers(m)) {
            return out;
        }
        Duration grace = s.grace();
        // MISSING: the latest expected start whose grace is over.
        Instant due = null;
        Instant before = null;
        if (s.schedule() instanceof Schedule.Rate rate) {
            Instant anchor = null;
            for (R r : s.runs()) {
                if (!r.start().isAfter(m) && (anchor == null || r.start().isAfter(anchor))) {
                    anchor = r.start();
                }
            }
            if (anchor != null) {
                for (Instant f = anchor.plus(rate.period()); !f.plus(grace).isAfter(m); f = f.plus(rate.period())) {
                    due = f;
                }
            }
        } else {
            for (Instant f : s.firings()) {
                if (!f.plus(grace).isAfter(m)) {
                    before = due;
                    due = f;
                }
            }
        }
        if (due != null && (s.window() == null || !s.window().covers(due))) {
            Duration early = s.schedule() instanceof Schedule.Rate ? Duration.ZERO : earlyFor(due, before, grace);
            boolean covered = false;
            for (R r : s.runs()) {
                covered |= !r.start().isBefore(due.minus(early)) && !r.start().isAfter(m);
            }
            if (!covered) {
                out.add("MISSING@" + due);
            }
        }
        // LATE: the latest deadline whose grace is over; the runs between its expected start and the next one's.
        if (s.deadline() != null) {
            Instant d = null;
            LocalDate day = m.minus(Duration.ofDays(3)).atZone(s.zone()).toLocalDate();
            for (int i = 0; i < 6; i++, day = day.plusDays(1)) {
                Instant candidate = day.atTime(s.deadline()).atZone(s.zone()).toInstant();
                if (!candidate.plus(grace).isAfter(m)) {
                    d = candidate;
                }
            }
            if (d != null && (s.window() == null || !s.window().covers(d))) {
                Instant dueD = null;
                Instant beforeD = null;
                Instant next = null;
                Instant beforeNext = null;
                for (Instant f : s.firings()) {
                    if (!f.isAfter(d)) {
                        beforeD = dueD;
                        dueD = f;
                    } else if (next == null) {
                        beforeNext = dueD;
                        next = f;
                    }
                }
                Instant from = dueD == null ? d.atZone(s.zone()).minusDays(1).toInstant()
                        : dueD.minus(earlyFor(dueD, beforeD, grace));
                Instant until = next == null ? Instant.MAX : next.minus(earlyFor(next, beforeNext, grace));
                boolean succeeded = false;
                boolean started = false;
                for (R r : s.runs()) {
                    succeeded |= r.state() == RunState.SUCCEEDED && r.end() != null && !r.end().isAfter(m)
                            && !r.start().isBefore(from);
                    started |= !r.start().isBefore(from) && r.start().isBefore(until) && !r.start().isAfter(m);
                }
                if (!succeeded && started) {
                    out.add("LATE@" + d);
                }
            }
        }
        return out;
    }

    private static Duration earlyFor(Instant due, Instant before, Duration grace) {
        if (before == null) {
            return grace;
        }
        Duration half = Duration.between(before, due).dividedBy(2);
        return half.compareTo(grace) < 0 ? half : grace;
    }

    // ---- random scenarios ----------------------------------------------------------------------------------------

    static Scenario scenario(Random rnd) {
        ZoneId zone = ZoneId.of(ZONES.get(rnd.nextInt(ZONES.size())));
        Instant w0 = LocalDate.parse(DAYS.get(rnd.nextInt(DAYS.size()))).atStartOfDay(zone).toInstant();
        int kind = rnd.nextInt(5);
        int minute = rnd.nextInt(12) * 5;
        int hour = rnd.nextInt(24);
        String expr = switch (kind) {
            case 0 -> "cron(" + minute + " " + hour + " * * ? *)";
            case 1 -> "cron(" + minute + " " + hour + " ? * MON-FRI *)";
            case 2 -> "cron(" + minute + " * * * ? *)";
            case 3 -> "cron(0/" + List.of(10, 15, 20, 30).get(rnd.nextInt(4)) + " * * * ? *)";
            default -> List.of("rate(15 minutes)", "rate(30 minutes)", "rate(1 hour)", "rate(4 hours)").get(rnd.nextInt(4));
        };
        Schedule schedule = Schedule.parse(expr);
        Duration grace = Duration.ofMinutes(List.of(5, 15, 30, 60).get(rnd.nextInt(4)));
        LocalTime deadline = kind <= 1 && rnd.nextBoolean()
                ? LocalTime.of((hour + 1 + rnd.nextInt(3)) % 24, rnd.nextInt(4) * 15) : null;
        Instant spanStart = w0.plus(Duration.ofDays(1 + rnd.nextInt(3))).plus(Duration.ofMinutes(rnd.nextInt(18 * 60)));
        MaintenanceWindow.Fixed window = null;
        if (rnd.nextInt(3) == 0) {
            Instant from = spanStart.plus(Duration.ofMinutes(rnd.nextInt(300) - 120));
            window = new MaintenanceWindow.Fixed(from, from.plus(Duration.ofMinutes(30 + rnd.nextInt(180))));
        }
        List<Instant> firings = new ArrayList<>();
        if (schedule instanceof Schedule.Cron) {
            Instant end = spanStart.plus(Duration.ofDays(3));
            for (Instant f = schedule.nextAfter(spanStart.minus(LOOKBACK), zone).orElseThrow(); !f.isAfter(end);
                 f = schedule.nextAfter(f, zone).orElseThrow()) {
                firings.add(f);
            }
        }
        List<R> runs = new ArrayList<>();
        int n = rnd.nextInt(14);
        for (int i = 0; i < n; i++) {
            Instant start;
            if (!firings.isEmpty() && rnd.nextInt(3) > 0) {
                // Near an expected start around the span: early, on time or late.
                List<Instant> near = firings.stream().filter(f -> f.isAfter(spanStart.minus(Duration.ofDays(2)))
                        && f.isBefore(spanStart.plus(Duration.ofHours(8)))).toList();
                Instant f = near.isEmpty() ? firings.get(firings.size() - 1) : near.get(rnd.nextInt(near.size()));
                start = f.plus(Duration.ofSeconds(rnd.nextInt(210 * 60) - 90 * 60));
            } else {
                start = spanStart.minus(Duration.ofHours(30)).plus(Duration.ofSeconds(rnd.nextInt(36 * 3600)));
            }
            Duration took = Duration.ofSeconds(60 + rnd.nextInt(180 * 60));
            int st = rnd.nextInt(20);
            RunState state = st < 12 ? RunState.SUCCEEDED : st < 17 ? RunState.FAILED : RunState.RUNNING;
            runs.add(new R("r" + i, start, state == RunState.RUNNING ? null : start.plus(took), state));
        }
        return new Scenario(schedule, zone, grace, deadline, window, runs, spanStart, firings);
    }
}
