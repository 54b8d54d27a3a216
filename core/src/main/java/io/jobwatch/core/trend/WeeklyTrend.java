package io.jobwatch.core.trend;

import java.time.Duration;
import java.util.Locale;

/**
 * A team's week against the week before, for the digest's one trend line: success rate (succeeded / (runs − stopped))
 * of each week and the job whose p95 duration grew most.
 *
 * @param thisWeek success rate of the last 7 days, or null when no run finished
 * @param lastWeek success rate of the 7 days before, or null
 * @param slowest  the team's job whose p95 grew most (last 7 days against the 7 before), or null
 */
public record WeeklyTrend(Double thisWeek, Double lastWeek, Trends.Growth slowest) {

    /** E.g. {@code success 97.1% (−1.2 pts vs last week), slowest-growing job: erp-load (p95 12m 30s → 15m 02s)}. */
    public String text() {
        StringBuilder b = new StringBuilder("success ");
        b.append(thisWeek == null ? "-" : String.format(Locale.ROOT, "%.1f%%", thisWeek * 100));
        if (thisWeek != null && lastWeek != null) {
            double pts = Math.round((thisWeek - lastWeek) * 1000) / 10.0;
            b.append(" (").append(pts == 0 ? "±0.0" : String.format(Locale.ROOT, "%+.1f", pts).replace('-', '\u2212'))
                    .append(" pts vs last week)");
        } else if (lastWeek == null) {
            b.append(" (no finished run last week)");
        }
        if (slowest != null) {
            b.append(", slowest-growing job: ").append(slowest.job().jobName()).append(" (p95 ")
                    .append(human(slowest.before())).append(" \u2192 ").append(human(slowest.after())).append(')');
        }
        return b.toString();
    }

    static String human(long seconds) {
        Duration d = Duration.ofSeconds(seconds);
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + String.format(Locale.ROOT, "%02ds", s % 60);
        }
        return (s / 3600) + "h " + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
    }
}
