package io.jobwatch.core.export;

import io.jobwatch.core.catalog.Retention;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which UTC days an export covers and the keys it writes. Keys are a function of the day only, so exporting the same
 * days again overwrites the same objects (no duplicates), and a day always belongs to the same object.
 *
 * <p>Layout (relative to the destination's root/prefix; stable, Athena's table points at {@code runs/}):
 * <pre>
 * runs/dt=2026-11-16/runs.csv.gz     one object per UTC day (Hive-style partition dt=yyyy-MM-dd)
 * manifests/2026-W47.json             one manifest per export, outside runs/ so Athena never reads it
 * </pre>
 *
 * @param from first day (inclusive)
 * @param to   last day (inclusive)
 * @param name the export's name: the ISO week ({@code 2026-W47}) when the days are exactly one ISO week, else
 *             {@code 2026-11-16_2026-11-18}; names the manifest
 */
public record ExportPlan(LocalDate from, LocalDate to, String name) {

    /** How late the weekly export may run after its week ended (schedule delay, retries) by default. */
    public static final Duration DEFAULT_MARGIN = Duration.ofDays(2);
    /** Longest range one export covers; longer ones are split by the caller. */
    public static final int MAX_DAYS = 62;

    private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

    public ExportPlan {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("export range ends before it starts: from " + from + " to " + to
                    + " (--from must not be after --to)");
        }
        long days = ChronoUnit.DAYS.between(from, to) + 1;
        if (days > MAX_DAYS) {
            throw new IllegalArgumentException("export range " + from + " .. " + to + " has " + days
                    + " days; at most " + MAX_DAYS + " per export (export week by week)");
        }
    }

    /** The seven days of an ISO week written {@code 2026-W47} (Monday to Sunday, UTC). */
    public static ExportPlan week(String isoWeek) {
        var m = WEEK.matcher(isoWeek == null ? "" : isoWeek.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not an ISO week: '" + isoWeek + "' (expected YYYY-Www, e.g. 2026-W47)");
        }
        LocalDate monday;
        try {
            monday = LocalDate.parse(m.group(1) + "-W" + m.group(2) + "-1", DateTimeFormatter.ISO_WEEK_DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("no such ISO week: '" + isoWeek + "' (year " + m.group(1)
                    + " has weeks W01 to W" + weeksIn(Integer.parseInt(m.group(1))) + ")");
        }
        return days(monday, monday.plusDays(6));
    }

    /** The days from {@code from} to {@code to}, both inclusive. */
    public static ExportPlan days(LocalDate from, LocalDate to) {
        boolean oneWeek = from.getDayOfWeek() == DayOfWeek.MONDAY && to.equals(from.plusDays(6));
        return new ExportPlan(from, to, oneWeek ? weekName(from) : from + "_" + to);
    }

    /**
     * How the scheduled export keeps within the run retention: each UTC day is exported (and its manifest written)
     * {@link #SCHEDULED_LAG} after it ends, so runs that started late in the day have finished; a week of BI data is
     * the seven day partitions. A weekly job that read a whole week at once would need the retention to exceed 7 days
     * plus the lag (the seed's 7-day TTL with a weekly Scan loses the oldest day's runs).
     */
    public static final Duration SCHEDULED_LAG = Duration.ofDays(1);

    /**
     * The minimum run retention the scheduled export needs: one day, the lag, and the safety margin (the catalog's
     * lower bound on retention, {@link Retention#MINIMUM_RUNS}; a test checks it is this sum).
     */
    public static final Duration MINIMUM_RETENTION = Retention.MINIMUM_RUNS;

    /** The day the schedule exports now: the day that ended {@link #SCHEDULED_LAG} ago (the day before yesterday). */
    public static ExportPlan scheduledDay(Clock clock) {
        LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1).minus(SCHEDULED_LAG.toDays(), ChronoUnit.DAYS);
        return days(day, day);
    }

    /** The last ISO week that has ended by now (for on-demand exports while it is within the retention). */
    public static ExportPlan lastCompleteWeek(Clock clock) {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        LocalDate thisMonday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        return days(thisMonday.minusDays(7), thisMonday.minusDays(1));
    }

    /** {@code 2026-W47} for any day of that ISO week. */
    public static String weekName(LocalDate day) {
        return String.format(Locale.ROOT, "%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR),
                day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    public List<LocalDate> days() {
        return Stream.iterate(from, d -> !d.isAfter(to), d -> d.plusDays(1)).toList();
    }

    /** The span of time the export reads: its whole days. */
    public Duration window() {
        return Duration.ofDays(ChronoUnit.DAYS.between(from, to) + 1);
    }

    /** {@code runs/dt=2026-11-16/runs.csv.gz}. */
    public static String objectKey(LocalDate day) {
        return "runs/" + ExportColumns.PARTITION + "=" + day + "/runs.csv.gz";
    }

    /** {@code manifests/2026-W47.json}. */
    public String manifestKey() {
        return "manifests/" + name + ".json";
    }

    /**
     * Refuses a configuration in which runs could expire before the export reads them: the oldest run of a window is
     * {@code window} old when the window ends, and the export may start up to {@code margin} later, so the run
     * retention (store TTL) must be at least {@code window + margin}.
     *
     * @throws IllegalArgumentException naming the three values and the smallest retention that works
     */
    public static void checkRetention(Duration retention, Duration window, Duration margin) {
        if (retention.isNegative() || retention.isZero() || window.isNegative() || window.isZero() || margin.isNegative()) {
            throw new IllegalArgumentException("retention and export window must be positive and margin not negative:"
                    + " retention " + human(retention) + ", window " + human(window) + ", margin " + human(margin));
        }
        Duration needed = window.plus(margin);
        if (retention.compareTo(needed) < 0) {
            throw new IllegalArgumentException("run retention " + human(retention) + " is shorter than the export window "
                    + human(window) + " plus margin " + human(margin) + ": runs would expire before the weekly export"
                    + " reads them. Set the run retention to at least " + human(needed)
                    + " (or export a shorter window more often).");
        }
    }

    private static String human(Duration d) {
        if (d.toHours() % 24 == 0 && d.toSeconds() % 3600 == 0) {
            long days = d.toDays();
            return days == 1 ? "1 day" : days + " days";
        }
        return d.toString();
    }

    private static int weeksIn(int year) {
        return LocalDate.of(year, 12, 28).get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
    }
}
