package io.jobwatch.core.trend;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.DailyRollup;
import io.jobwatch.core.store.JobDay;
import io.jobwatch.core.store.Rollups;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Job health over days, from the daily rollups: rows per day and group (the {@code trends} command, the Trends page),
 * and the rankings the Trends page shows (jobs that failed most, jobs whose p95 duration grew most, time to resolve per
 * team). Every figure is a {@link DailyRollup} sum, so the CLI, the dashboard and the exported views agree.
 */
public final class Trends {
    private final Rollups rollups;
    private final Catalog catalog;

    /** @param catalog systems and teams; null: a job's system is its account and its team the unowned one */
    public Trends(Rollups rollups, Catalog catalog) {
        this.rollups = Objects.requireNonNull(rollups, "rollups");
        this.catalog = catalog;
    }

    /** Which jobs count: all, or those of a system and/or a job (its name or its full id). */
    public record Filter(String system, String job) {
        public static final Filter ALL = new Filter(null, null);

        boolean test(JobKey key, Catalog catalog) {
            if (job != null && !job.equals(key.jobName()) && !job.equals(key.id())) {
                return false;
            }
            return system == null || system.equals(TrendGrouping.systemOf(key, catalog));
        }
    }

    /** Every job's day in {@code [from, to]} that passes the filter. */
    public List<JobDay> jobDays(LocalDate from, LocalDate to, Filter filter) {
        List<JobDay> out = new ArrayList<>();
        JobKey only = null;
        rollups.days(from, to, only, d -> {
            if (filter.test(d.job(), catalog)) {
                out.add(d);
            }
        });
        return out;
    }

    /**
     * One row per day of {@code [from, to]} and group that has any day in the range (a day without runs is a row of
     * zeros, so each group's series has every day): by day, then group.
     */
    public List<TrendRow> rows(LocalDate from, LocalDate to, TrendGrouping by, Filter filter) {
        return rows(jobDays(from, to, filter), from, to, by);
    }

    /** As above, over days already read. */
    public List<TrendRow> rows(List<JobDay> days, LocalDate from, LocalDate to, TrendGrouping by) {
        Map<String, Map<LocalDate, DailyRollup>> byGroup = new TreeMap<>();
        Map<JobKey, String> groups = new LinkedHashMap<>();
        for (JobDay d : days) {
            String g = groups.computeIfAbsent(d.job(), k -> by.groupOf(k, catalog));
            byGroup.computeIfAbsent(g, k -> new TreeMap<>()).merge(d.day(), d.rollup(), DailyRollup::plus);
        }
        List<TrendRow> out = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            for (Map.Entry<String, Map<LocalDate, DailyRollup>> e : byGroup.entrySet()) {
                out.add(new TrendRow(d, e.getKey(), e.getValue().getOrDefault(d, DailyRollup.EMPTY)));
            }
        }
        return out;
    }

    /** A job's figures over a range. */
    public record JobTotal(JobKey job, String system, String team, DailyRollup total) {
    }

    /** The jobs with the most failed and timed-out runs over the days, most first (ties by job id); at most n. */
    public List<JobTotal> mostFailing(List<JobDay> days, int n) {
        Map<JobKey, DailyRollup> totals = totals(days, d -> true);
        return totals.entrySet().stream().filter(e -> e.getValue().failures() > 0)
                .sorted(Comparator.<Map.Entry<JobKey, DailyRollup>>comparingInt(e -> -e.getValue().failures())
                        .thenComparing(e -> e.getKey().id()))
                .limit(n).map(e -> total(e.getKey(), e.getValue())).toList();
    }

    /**
     * How a job's p95 duration moved: over the last {@code recentDays} of the range against the days before.
     *
     * @param before p95 seconds over the earlier days
     * @param after  p95 seconds over the recent days
     */
    public record Growth(JobKey job, String system, long before, long after) {
        public long grewSeconds() {
            return after - before;
        }

        /** after / before (before 0 counts as 1 second). */
        public double ratio() {
            return (double) after / Math.max(1, before);
        }
    }

    /**
     * The jobs whose p95 duration grew most — the last {@code recentDays} days of {@code [from, to]} against the days
     * before — by ratio, largest first; only jobs with succeeded runs in both parts and a growth; at most n.
     */
    public List<Growth> slowestGrowing(List<JobDay> days, LocalDate to, int recentDays, int n) {
        LocalDate split = to.minusDays(recentDays - 1L);
        Map<JobKey, DailyRollup> before = totals(days, d -> d.day().isBefore(split));
        Map<JobKey, DailyRollup> after = totals(days, d -> !d.day().isBefore(split));
        List<Growth> out = new ArrayList<>();
        after.forEach((job, a) -> {
            DailyRollup b = before.get(job);
            if (b != null && a.p95() != null && b.p95() != null && a.p95() > b.p95()) {
                out.add(new Growth(job, TrendGrouping.systemOf(job, catalog), b.p95(), a.p95()));
            }
        });
        out.sort(Comparator.comparingDouble(Growth::ratio).reversed().thenComparing(g -> g.job().id()));
        return out.size() > n ? List.copyOf(out.subList(0, n)) : out;
    }

    /**
     * The team's last 7 days up to {@code lastDay} against the 7 before (the digest's trend line); empty when the team
     * had no finished run in either.
     */
    public java.util.Optional<WeeklyTrend> weekOf(String team, LocalDate lastDay) {
        return weekOf(team, lastDay, jobDays(lastDay.minusDays(13), lastDay, Filter.ALL));
    }

    /** As above, over the 14 days up to {@code lastDay} already read (one read for every team's digest). */
    public java.util.Optional<WeeklyTrend> weekOf(String team, LocalDate lastDay, List<JobDay> fourteenDays) {
        LocalDate split = lastDay.minusDays(6);
        List<JobDay> days = new ArrayList<>();
        for (JobDay d : fourteenDays) {
            if (!d.day().isBefore(split.minusDays(7)) && !d.day().isAfter(lastDay)
                    && team.equals(TrendGrouping.TEAM.groupOf(d.job(), catalog))) {
                days.add(d);
            }
        }
        DailyRollup before = DailyRollup.EMPTY;
        DailyRollup after = DailyRollup.EMPTY;
        for (JobDay d : days) {
            if (d.day().isBefore(split)) {
                before = before.plus(d.rollup());
            } else {
                after = after.plus(d.rollup());
            }
        }
        if (before.successRate() == null && after.successRate() == null) {
            return java.util.Optional.empty();
        }
        List<Growth> slower = slowestGrowing(days, lastDay, 7, 1);
        return java.util.Optional.of(new WeeklyTrend(after.successRate(), before.successRate(),
                slower.isEmpty() ? null : slower.get(0)));
    }

    /** Each team's figures over the days (its time to resolve: {@link DailyRollup#mttrMinutes()}), by team name. */
    public Map<String, DailyRollup> byTeam(List<JobDay> days) {
        Map<String, DailyRollup> out = new TreeMap<>();
        for (JobDay d : days) {
            out.merge(TrendGrouping.TEAM.groupOf(d.job(), catalog), d.rollup(), DailyRollup::plus);
        }
        return out;
    }

    private static Map<JobKey, DailyRollup> totals(List<JobDay> days, Predicate<JobDay> which) {
        Map<JobKey, DailyRollup> out = new LinkedHashMap<>();
        for (JobDay d : days) {
            if (which.test(d)) {
                out.merge(d.job(), d.rollup(), DailyRollup::plus);
            }
        }
        return out;
    }

    private JobTotal total(JobKey job, DailyRollup r) {
        return new JobTotal(job, TrendGrouping.SYSTEM.groupOf(job, catalog), TrendGrouping.TEAM.groupOf(job, catalog), r);
    }

    /**
     * Eight-level bars, oldest first, scaled from the lowest to the highest value (as spark lines are: the shape shows
     * the change; the table has the figures); all equal values are full bars; a space for a day without a value.
     */
    public static String sparkline(List<Double> values) {
        String bars = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (Double v : values) {
            if (v != null) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        StringBuilder sb = new StringBuilder(values.size());
        for (Double v : values) {
            if (v == null) {
                sb.append(' ');
            } else {
                int i = hi - lo < 1e-9 ? bars.length() - 1 : (int) Math.round((v - lo) / (hi - lo) * (bars.length() - 1));
                sb.append(bars.charAt(i));
            }
        }
        return sb.toString();
    }
}
