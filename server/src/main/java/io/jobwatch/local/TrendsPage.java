package io.jobwatch.local;

import static io.jobwatch.local.Html.esc;

import io.jobwatch.core.store.DailyRollup;
import io.jobwatch.core.store.JobDay;
import io.jobwatch.core.trend.TrendGrouping;
import io.jobwatch.core.trend.TrendRow;
import io.jobwatch.core.trend.Trends;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The Trends page and the job page's history: charts drawn here as inline SVG (no script, no third-party code, and
 * within the pages' Content-Security-Policy), each series told apart by its dash pattern and marker shape as well as
 * its colour, with the figures in a table beside each chart. Everything from the store or the catalog is escaped.
 */
final class TrendsPage {
    /** The ranges the page offers (days). */
    static final List<Integer> RANGES = List.of(30, 90);
    /** The job page's history (days). */
    static final int JOB_HISTORY_DAYS = 30;
    /** p95 growth compares the last week with the days before it. */
    static final int RECENT_DAYS = 7;
    static final int TOP = 10;

    private static final String[] COLORS = {"#1565c0", "#c62828", "#2e7d32", "#6a1b9a", "#ef6c00", "#00838f", "#4e342e",
        "#ad1457"};
    private static final String[] DASHES = {"", "6 3", "2 3", "10 3 2 3", "1 2", "8 4 8 4 1 4"};
    private static final String[] MARKERS = {"circle", "square", "triangle", "diamond"};

    private TrendsPage() {
    }

    static String page(Trends trends, int days, LocalDate to, Instant now) {
        LocalDate from = to.minusDays(days - 1L);
        List<JobDay> jobDays = trends.jobDays(from, to, Trends.Filter.ALL);
        List<TrendRow> bySystem = trends.rows(jobDays, from, to, TrendGrouping.SYSTEM);
        StringBuilder b = new StringBuilder(32_768);
        Dashboard.head(b, "Trends", "trends");
        b.append("<h1>Trends <span class=\"muted\">").append(from).append(" .. ").append(to).append(" (UTC days)</span></h1>\n");
        b.append("<p class=\"ranges\">");
        for (int r : RANGES) {
            b.append(r == days ? "<strong aria-current=\"page\">" : "<a href=\"/trends?days=" + r + "&amp;to=" + to + "\">")
                    .append(r).append(" days").append(r == days ? "</strong> " : "</a> ");
        }
        b.append("</p>\n");

        b.append("<h2 id=\"success-by-system\">Success rate per system and day</h2>\n");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        Map<String, List<String>> tips = new LinkedHashMap<>();
        for (TrendRow r : bySystem) {
            series.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r.successRate());
            tips.computeIfAbsent(r.group(), k -> new ArrayList<>()).add(r.group() + " " + r.day() + ": "
                    + percent(r.successRate()) + " of " + (r.runs() - r.stopped()) + " finished runs");
        }
        if (series.isEmpty()) {
            b.append("<p class=\"empty\">No finished runs in these days.</p>\n");
        } else {
            double lo = 1;
            for (List<Double> v : series.values()) {
                for (Double d : v) {
                    if (d != null) {
                        lo = Math.min(lo, d);
                    }
                }
            }
            lo = Math.max(0, Math.floor(lo * 20 - 1) / 20); // a 5-point step below the lowest day
            double min = lo;
            lineChart(b, "success-chart", "success rate per system and day", from, to, series, tips, min, 1.0,
                    v -> String.format(Locale.ROOT, "%.0f%%", v * 100));
            b.append("<details><summary>The figures</summary><table class=\"trend-table\"><thead><tr><th>day</th>");
            for (String s : series.keySet()) {
                b.append("<th>").append(esc(s)).append("</th>");
            }
            b.append("</tr></thead><tbody>\n");
            int n = series.size();
            for (int i = 0; i < bySystem.size(); i += n) {
                b.append("<tr><td>").append(bySystem.get(i).day()).append("</td>");
                for (int j = 0; j < n; j++) {
                    TrendRow r = bySystem.get(i + j);
                    b.append("<td>").append(percent(r.successRate())).append(" <span class=\"muted\">")
                            .append(r.failed() + r.timedOut()).append(" failed</span></td>");
                }
                b.append("</tr>\n");
            }
            b.append("</tbody></table></details>\n");
        }

        b.append("<h2 id=\"most-failing\">Jobs that failed most</h2>\n");
        List<Trends.JobTotal> failing = trends.mostFailing(jobDays, TOP);
        if (failing.isEmpty()) {
            b.append("<p class=\"empty\">No failed runs in these days.</p>\n");
        } else {
            b.append("<table class=\"most-failing\"><thead><tr><th>job</th><th>system</th><th>team</th><th>failed</th>"
                    + "<th>runs</th><th>success</th></tr></thead><tbody>\n");
            for (Trends.JobTotal t : failing) {
                b.append("<tr class=\"failing-job\"><td><a href=\"").append(esc(Dashboard.jobHref(t.job()))).append("\">")
                        .append(esc(t.job().jobName())).append("</a></td><td>").append(esc(t.system())).append("</td><td>")
                        .append(esc(t.team())).append("</td><td>").append(t.total().failures()).append("</td><td>")
                        .append(t.total().runs()).append("</td><td>").append(percent(t.total().successRate()))
                        .append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }

        b.append("<h2 id=\"slower\">Jobs whose p95 duration grew most <span class=\"muted\">last ").append(RECENT_DAYS)
                .append(" days against the days before</span></h2>\n");
        List<Trends.Growth> slower = trends.slowestGrowing(jobDays, to, RECENT_DAYS, TOP);
        if (slower.isEmpty()) {
            b.append("<p class=\"empty\">No job got slower (or too few days with succeeded runs of known duration).</p>\n");
        } else {
            b.append("<table class=\"slower\"><thead><tr><th>job</th><th>system</th><th>p95 before</th><th>p95 last ")
                    .append(RECENT_DAYS).append(" days</th><th>growth</th></tr></thead><tbody>\n");
            for (Trends.Growth g : slower) {
                b.append("<tr class=\"slower-job\"><td><a href=\"").append(esc(Dashboard.jobHref(g.job()))).append("\">")
                        .append(esc(g.job().jobName())).append("</a></td><td>").append(esc(g.system())).append("</td><td>")
                        .append(esc(Dashboard.duration(Duration.ofSeconds(g.before())))).append("</td><td>")
                        .append(esc(Dashboard.duration(Duration.ofSeconds(g.after())))).append("</td><td>")
                        .append(String.format(Locale.ROOT, "×%.2f", g.ratio())).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }

        b.append("<h2 id=\"mttr\">Time to resolve incidents, per team</h2>\n");
        Map<String, DailyRollup> teams = trends.byTeam(jobDays);
        b.append("<table class=\"mttr\"><thead><tr><th>team</th><th>incidents resolved</th><th>mean time to resolve</th>"
                + "<th>incident minutes open</th><th>success</th></tr></thead><tbody>\n");
        teams.forEach((team, r) -> b.append("<tr class=\"team-mttr\"><td>").append(esc(team)).append("</td><td>")
                .append(r.incidentsResolved()).append("</td><td>")
                .append(r.mttrMinutes() == null ? "-" : esc(Dashboard.duration(Duration.ofSeconds(Math.round(r.mttrMinutes() * 60)))))
                .append("</td><td>").append(r.incidentMinutes()).append("</td><td>").append(percent(r.successRate()))
                .append("</td></tr>\n"));
        b.append("</tbody></table>\n");
        Dashboard.foot(b, now);
        return b.toString();
    }

    /** The job page's history: success rate and p50/p95 duration per day, as charts and a table. */
    static void jobHistory(StringBuilder b, List<TrendRow> rows) {
        b.append("<h2 id=\"history\">History <span class=\"muted\">last ").append(rows.size())
                .append(" days, from the daily rollups (kept long after the runs)</span></h2>\n");
        if (rows.stream().allMatch(r -> r.runs() == 0)) {
            b.append("<p class=\"empty\">No finished run in these days.</p>\n");
            return;
        }
        LocalDate from = rows.get(0).day();
        LocalDate to = rows.get(rows.size() - 1).day();
        Map<String, List<Double>> rate = new LinkedHashMap<>();
        Map<String, List<String>> rateTips = new LinkedHashMap<>();
        Map<String, List<Double>> dur = new LinkedHashMap<>();
        Map<String, List<String>> durTips = new LinkedHashMap<>();
        double maxDur = 1;
        for (TrendRow r : rows) {
            rate.computeIfAbsent("success rate", k -> new ArrayList<>()).add(r.successRate());
            rateTips.computeIfAbsent("success rate", k -> new ArrayList<>()).add(r.day() + ": " + percent(r.successRate())
                    + " (" + r.succeeded() + " of " + (r.runs() - r.stopped()) + ")");
            dur.computeIfAbsent("p95", k -> new ArrayList<>()).add(r.p95Seconds() == null ? null : r.p95Seconds().doubleValue());
            dur.computeIfAbsent("p50", k -> new ArrayList<>()).add(r.p50Seconds() == null ? null : r.p50Seconds().doubleValue());
            durTips.computeIfAbsent("p95", k -> new ArrayList<>()).add(r.day() + ": p95 " + seconds(r.p95Seconds()));
            durTips.computeIfAbsent("p50", k -> new ArrayList<>()).add(r.day() + ": p50 " + seconds(r.p50Seconds()));
            if (r.p95Seconds() != null) {
                maxDur = Math.max(maxDur, r.p95Seconds());
            }
        }
        lineChart(b, "history-success", "success rate per day", from, to, rate, rateTips, 0, 1,
                v -> String.format(Locale.ROOT, "%.0f%%", v * 100));
        lineChart(b, "history-duration", "p50 and p95 duration of succeeded runs per day", from, to, dur, durTips, 0,
                maxDur, v -> Dashboard.duration(Duration.ofSeconds(Math.round(v))));
        b.append("<details><summary>The figures</summary><table class=\"history\"><thead><tr><th>day</th><th>runs</th>"
                + "<th>failed</th><th>success</th><th>p50</th><th>p95</th><th>incident minutes</th></tr></thead><tbody>\n");
        for (TrendRow r : rows) {
            b.append("<tr class=\"history-day\"><td>").append(r.day()).append("</td><td>").append(r.runs()).append("</td><td>")
                    .append(r.failed() + r.timedOut()).append("</td><td>").append(percent(r.successRate())).append("</td><td>")
                    .append(esc(seconds(r.p50Seconds()))).append("</td><td>").append(esc(seconds(r.p95Seconds())))
                    .append("</td><td>").append(r.incidentMinutes()).append("</td></tr>\n");
        }
        b.append("</tbody></table></details>\n");
    }

    /**
     * A line chart of day-indexed series between {@code min} and {@code max}: a polyline per run of days with values
     * (gaps stay gaps), a marker with a tooltip per value, a legend, and axis labels.
     */
    static void lineChart(StringBuilder b, String id, String label, LocalDate from, LocalDate to,
                          Map<String, List<Double>> series, Map<String, List<String>> tips, double min, double max,
                          Function<Double, String> axis) {
        int width = 900;
        int left = 56;
        int right = 880;
        int top = 12;
        int bottom = 200;
        int legendY = bottom + 36;
        int height = legendY + 22 * ((series.size() + 3) / 4);
        int n = (int) (to.toEpochDay() - from.toEpochDay()) + 1;
        double span = max - min <= 0 ? 1 : max - min;
        b.append("<svg id=\"").append(id).append("\" class=\"chart trend\" role=\"img\" aria-label=\"").append(esc(label))
                .append("\" width=\"").append(width).append("\" height=\"").append(height).append("\" viewBox=\"0 0 ")
                .append(width).append(' ').append(height).append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        b.append("<title>").append(esc(label)).append("</title>");
        for (int i = 0; i <= 4; i++) {
            double v = min + span * i / 4;
            int y = (int) Math.round(bottom - (bottom - top) * (v - min) / span);
            b.append("<line x1=\"").append(left).append("\" y1=\"").append(y).append("\" x2=\"").append(right)
                    .append("\" y2=\"").append(y).append("\" stroke=\"").append(i == 0 ? "#999" : "#e0e0e0").append("\"/>")
                    .append("<text x=\"").append(left - 4).append("\" y=\"").append(y + 4)
                    .append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">").append(esc(axis.apply(v))).append("</text>");
        }
        b.append("<text x=\"").append(left).append("\" y=\"").append(bottom + 16).append("\" font-size=\"11\" fill=\"#555\">")
                .append(from).append("</text><text x=\"").append(right).append("\" y=\"").append(bottom + 16)
                .append("\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">").append(to).append("</text>");
        int s = 0;
        for (Map.Entry<String, List<Double>> e : series.entrySet()) {
            String color = COLORS[s % COLORS.length];
            String dash = DASHES[s % DASHES.length];
            String marker = MARKERS[s % MARKERS.length];
            List<Double> values = e.getValue();
            List<String> tip = tips.get(e.getKey());
            b.append("<g class=\"series\" data-series=\"").append(esc(e.getKey())).append("\">");
            StringBuilder points = new StringBuilder();
            List<int[]> marks = new ArrayList<>();
            for (int i = 0; i <= values.size(); i++) {
                Double v = i < values.size() ? values.get(i) : null;
                if (v == null) {
                    if (points.length() > 0) {
                        polyline(b, points, color, dash);
                        points.setLength(0);
                    }
                    continue;
                }
                int x = n == 1 ? (left + right) / 2 : left + (int) Math.round((right - left) * (double) i / (n - 1));
                int y = (int) Math.round(bottom - (bottom - top) * (Math.max(min, Math.min(max, v)) - min) / span);
                points.append(x).append(',').append(y).append(' ');
                marks.add(new int[] {x, y, i});
            }
            for (int[] m : marks) {
                marker(b, marker, m[0], m[1], color, tip.get(m[2]));
            }
            b.append("</g>");
            int lx = left + (s % 4) * 210;
            int ly = legendY + (s / 4) * 22;
            b.append("<g class=\"legend\"><line x1=\"").append(lx).append("\" y1=\"").append(ly).append("\" x2=\"").append(lx + 36)
                    .append("\" y2=\"").append(ly).append("\" stroke=\"").append(color).append("\" stroke-width=\"2\"")
                    .append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"").append("/>");
            marker(b, marker, lx + 18, ly, color, null);
            b.append("<text x=\"").append(lx + 44).append("\" y=\"").append(ly + 4).append("\" font-size=\"12\" fill=\"#222\">")
                    .append(esc(e.getKey())).append("</text></g>");
            s++;
        }
        b.append("</svg>\n");
    }

    private static void polyline(StringBuilder b, StringBuilder points, String color, String dash) {
        b.append("<polyline class=\"line\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"")
                .append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"").append(" points=\"")
                .append(points.toString().trim()).append("\"/>");
    }

    private static void marker(StringBuilder b, String shape, int x, int y, String color, String tip) {
        String title = tip == null ? "" : "<title>" + esc(tip) + "</title>";
        String cls = tip == null ? "" : " class=\"point\"";
        switch (shape) {
            case "circle" -> b.append("<circle").append(cls).append(" cx=\"").append(x).append("\" cy=\"").append(y)
                    .append("\" r=\"3.5\" fill=\"").append(color).append("\">").append(title).append("</circle>");
            case "square" -> b.append("<rect").append(cls).append(" x=\"").append(x - 3).append("\" y=\"").append(y - 3)
                    .append("\" width=\"7\" height=\"7\" fill=\"").append(color).append("\">").append(title).append("</rect>");
            case "triangle" -> b.append("<polygon").append(cls).append(" points=\"").append(x).append(',').append(y - 4)
                    .append(' ').append(x - 4).append(',').append(y + 3).append(' ').append(x + 4).append(',').append(y + 3)
                    .append("\" fill=\"").append(color).append("\">").append(title).append("</polygon>");
            default -> b.append("<polygon").append(cls).append(" points=\"").append(x).append(',').append(y - 4)
                    .append(' ').append(x + 4).append(',').append(y).append(' ').append(x).append(',').append(y + 4)
                    .append(' ').append(x - 4).append(',').append(y).append("\" fill=\"white\" stroke=\"").append(color)
                    .append("\" stroke-width=\"1.5\">").append(title).append("</polygon>");
        }
    }

    static String percent(Double rate) {
        return rate == null ? "-" : String.format(Locale.ROOT, "%.1f%%", rate * 100);
    }

    private static String seconds(Long s) {
        return s == null ? "-" : Dashboard.duration(Duration.ofSeconds(s));
    }
}
