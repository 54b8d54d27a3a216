package io.jobwatch.core.digest;

import java.util.List;

import static io.jobwatch.core.digest.Html.esc;

/**
 * Renders a {@link Digest} as an HTML email that reads on a phone: one 600px-max column, inline CSS only (mail
 * clients drop style sheets), layout tables, one stacked cell per job. Every value from the digest goes through
 * {@link Html#esc} and every link through {@link Html#href} (http/https only). No template engine.
 */
public final class HtmlDigestRenderer {
    private static final String FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
    private static final String RED = "#b91c1c";
    private static final String AMBER = "#b45309";
    private static final String GREEN = "#15803d";
    private static final String BLUE = "#1d4ed8";
    private static final String GREY = "#6b7280";

    public String render(Digest d) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .append("<title>").append(esc(d.subject())).append("</title></head>\n")
                .append("<body style=\"margin:0;padding:0;background:#f3f4f6;\">\n")
                .append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f3f4f6;\"><tr><td align=\"center\" style=\"padding:12px 6px;\">\n")
                .append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:600px;width:100%;background:#ffffff;border-radius:6px;font-family:")
                .append(FONT).append(";font-size:15px;line-height:1.45;color:#1f2328;text-align:left;\">\n");

        header(h, d);
        if (d.previousDeliveryFailed()) {
            row(h, "<div style=\"border-left:4px solid " + AMBER + ";background:#fffbeb;padding:8px 10px;font-size:14px;\">"
                    + esc("The previous digest could not be delivered. Items it would have shown are still listed here if they are still open.")
                    + "</div>");
        }
        if (d.allGreen()) {
            row(h, "<div style=\"border-left:4px solid " + GREEN + ";background:#f0fdf4;padding:10px 12px;font-size:16px;\">"
                    + esc("All " + Fmt.plural(d.jobCount(), "job", "jobs") + " healthy") + "</div>");
        } else {
            failing(h, d, "Still failing", d.stillFailing(), RED);
            failing(h, d, "New failures", d.newFailures(), RED);
            d.sla().ifPresent(items -> sla(h, d, items));
            recovered(h, d);
            warned(h, d);
            running(h, d);
        }
        systems(h, d);
        d.trend().ifPresent(tr -> h.append("<tr><td style=\"padding:6px 14px 0;font-size:13px;color:").append(GREY)
                .append(";\">").append(esc("Week: " + tr)).append("</td></tr>\n"));
        if (!d.allGreen() && d.healthyCount() > 0) {
            row(h, "<p style=\"margin:8px 0 0;color:" + GREY + ";font-size:14px;\">"
                    + esc(Fmt.plural(d.healthyCount(), "other job", "other jobs") + " with nothing to report.") + "</p>");
        }
        row(h, "<p style=\"margin:12px 0 4px;color:" + GREY + ";font-size:12px;\">"
                + esc("Generated " + Fmt.time(d.generatedAt(), d) + " by Jobwatch for team " + d.team().name()
                + ". Run links open the AWS console of the job's account.") + "</p>");
        h.append("</table>\n</td></tr></table>\n</body></html>\n");
        return h.toString();
    }

    private static void header(StringBuilder h, Digest d) {
        StringBuilder chips = new StringBuilder();
        if (d.failingCount() > 0) {
            chip(chips, d.failingCount() + " failing", RED);
        }
        if (d.lateCount() > 0) {
            chip(chips, d.lateCount() + " late", AMBER);
        }
        chip(chips, d.okCount() + " ok", GREEN);
        h.append("<tr><td style=\"padding:16px 14px 6px;\">")
                .append("<div style=\"font-size:13px;color:").append(GREY).append(";\">Jobwatch digest</div>")
                .append("<h1 style=\"margin:2px 0 2px;font-size:22px;line-height:1.2;\">").append(esc(d.heading())).append("</h1>")
                .append("<div style=\"font-size:13px;color:").append(GREY).append(";\">").append(esc(Fmt.window(d))).append("</div>")
                .append("<div style=\"margin-top:8px;\">").append(chips).append("</div>")
                .append("</td></tr>\n");
    }

    private static void chip(StringBuilder b, String text, String color) {
        b.append("<span style=\"display:inline-block;margin:0 6px 4px 0;padding:2px 10px;border-radius:12px;font-size:14px;font-weight:600;color:#ffffff;background:")
                .append(color).append(";\">").append(esc(text)).append("</span>");
    }

    private static void section(StringBuilder h, String title, int n, String color) {
        h.append("<tr><td style=\"padding:14px 14px 2px;\"><h2 style=\"margin:0;font-size:17px;color:").append(color)
                .append(";border-bottom:2px solid ").append(color).append(";padding-bottom:3px;\">")
                .append(esc(title + " (" + n + ")")).append("</h2></td></tr>\n")
                .append("<tr><td style=\"padding:0 14px;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;\">\n");
    }

    private static void endSection(StringBuilder h) {
        h.append("</table></td></tr>\n");
    }

    private static void failing(StringBuilder h, Digest d, String title, List<FailingJob> items, String color) {
        if (items.isEmpty()) {
            return;
        }
        section(h, title, items.size(), color);
        for (FailingJob f : items) {
            String what = Fmt.state(f.lastRun().state()) + " " + Fmt.time(f.lastRun().endedAt(), d)
                    + " \u00b7 " + Fmt.streak(f.consecutiveFailures())
                    + (f.failuresInWindow() > 1 ? " \u00b7 " + f.failuresInWindow() + " in this window" : "");
            StringBuilder line = new StringBuilder(esc(what));
            if (f.retrying()) {
                line.append(" \u00b7 ").append(esc(f.retryingNote()));
            }
            if (f.openIncident() != null) {
                line.append(" \u00b7 incident <b>").append(esc(f.openIncident())).append("</b>");
            }
            item(h, d, f, f.criticality(), line.toString(), Fmt.error(f.lastRun().error()), f.consoleUrl());
        }
        endSection(h);
    }

    private static void sla(StringBuilder h, Digest d, List<SlaBreach> items) {
        if (items.isEmpty()) {
            return;
        }
        section(h, "Late / missing / too long", items.size(), AMBER);
        for (SlaBreach b : items) {
            String what = b.kind().label().toUpperCase(java.util.Locale.ROOT)
                    + (b.expectedAt() != null ? " \u00b7 expected " + Fmt.time(b.expectedAt(), d) : "")
                    + (b.detail() != null ? " \u00b7 " + b.detail() : "");
            item(h, d, b, null, esc(what), null, null);
        }
        endSection(h);
    }

    private static void recovered(StringBuilder h, Digest d) {
        if (d.recovered().isEmpty()) {
            return;
        }
        section(h, "Recovered", d.recovered().size(), GREEN);
        for (RecoveredJob r : d.recovered()) {
            String what = "SUCCEEDED " + Fmt.time(r.run().endedAt(), d)
                    + (r.failuresInWindow() > 0 ? " \u00b7 after " + Fmt.plural(r.failuresInWindow(), "failure", "failures") + " in this window" : "");
            item(h, d, r, r.criticality(), esc(what), null, r.consoleUrl());
        }
        endSection(h);
    }

    private static void warned(StringBuilder h, Digest d) {
        if (d.warned().isEmpty()) {
            return;
        }
        section(h, "Succeeded with warnings", d.warned().size(), AMBER);
        for (WarnedJob w : d.warned()) {
            String what = "SUCCEEDED " + Fmt.time(w.run().endedAt(), d) + " \u00b7 " + w.run().warning()
                    + (w.warnedInWindow() > 1 ? " \u00b7 " + w.warnedInWindow() + " runs with warnings in this window" : "");
            item(h, d, w, w.criticality(), esc(what), null, w.consoleUrl());
        }
        endSection(h);
    }

    private static void running(StringBuilder h, Digest d) {
        if (d.runningNow().isEmpty()) {
            return;
        }
        section(h, "Running now", d.runningNow().size(), BLUE);
        for (RunningJob r : d.runningNow()) {
            String what = "since " + Fmt.time(r.run().startedAt(), d) + " \u00b7 " + Fmt.duration(r.elapsed())
                    + (r.usual() != null ? " (usual " + Fmt.duration(r.usual()) + ")" : "");
            String line = r.overUsual()
                    ? "<span style=\"color:" + AMBER + ";font-weight:600;\">" + esc(what + " \u00b7 "
                    + String.format(java.util.Locale.ROOT, "%.1f\u00d7 usual", r.ratioToUsual())) + "</span>"
                    : esc(what);
            item(h, d, r, r.criticality(), line, null, r.consoleUrl());
        }
        endSection(h);
    }

    /** One stacked cell: name, where it runs, what happened (already escaped HTML), error, console link. */
    private static void item(StringBuilder h, Digest d, DigestItem i, String criticality, String whatHtml,
                             String error, String url) {
        // account and region stay on one line: "eu-west-" / "1" reads badly on a phone
        String meta = esc(Fmt.system(i.system()) + " \u00b7 " + i.job().source().label() + " \u00b7 ")
                + "<span style=\"white-space:nowrap;\">" + esc(i.job().account() + " " + i.job().region()) + "</span>"
                + esc(criticality != null ? " \u00b7 " + criticality : "");
        h.append("<tr><td style=\"padding:9px 0;border-bottom:1px solid #e5e7eb;overflow-wrap:break-word;\">")
                .append("<div dir=\"auto\" style=\"font-weight:600;font-size:15px;overflow-wrap:anywhere;\">").append(esc(i.job().jobName())).append("</div>")
                .append("<div style=\"font-size:12px;color:").append(GREY).append(";\">").append(meta).append("</div>")
                .append("<div style=\"font-size:14px;margin-top:2px;\">").append(whatHtml).append("</div>");
        if (error != null) {
            h.append("<div dir=\"auto\" style=\"font-family:Menlo,Consolas,monospace;font-size:12px;background:#f9fafb;border:1px solid #e5e7eb;border-radius:4px;padding:4px 6px;margin-top:4px;overflow-wrap:anywhere;\">")
                    .append(esc(error)).append("</div>");
        }
        String href = Html.href(url);
        if (href != null) {
            h.append("<div style=\"margin-top:4px;font-size:14px;\"><a href=\"").append(href)
                    .append("\" style=\"color:").append(BLUE).append(";\">").append(esc("Open run in AWS console \u203a"))
                    .append("</a></div>");
        }
        h.append("</td></tr>\n");
    }

    private static void systems(StringBuilder h, Digest d) {
        if (d.systems().isEmpty()) {
            return;
        }
        h.append("<tr><td style=\"padding:14px 14px 2px;\"><h2 style=\"margin:0;font-size:17px;color:#374151;border-bottom:2px solid #374151;padding-bottom:3px;\">")
                .append(esc("Summary")).append("</h2></td></tr>\n")
                .append("<tr><td style=\"padding:4px 14px 0;\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;font-size:13px;\">\n")
                .append("<tr style=\"color:").append(GREY).append(";\">");
        for (String col : List.of("System", "Runs", "OK", "Failed", "Success")) {
            h.append("<th align=\"").append(col.equals("System") ? "left" : "right")
                    .append("\" style=\"padding:4px 3px;border-bottom:1px solid #e5e7eb;font-weight:600;\">").append(esc(col)).append("</th>");
        }
        h.append("</tr>\n");
        for (SystemSummary s : d.systems()) {
            String change = Fmt.change(s.rateChange());
            String changeColor = change.startsWith("\u25BC") ? RED : change.startsWith("\u25B2") ? GREEN : GREY;
            h.append("<tr>")
                    .append(cell("left", esc(s.system()) + "<div style=\"color:" + GREY + ";font-size:11px;\">"
                            + esc(Fmt.plural(s.jobs(), "job", "jobs")) + "</div>"))
                    .append(cell("right", esc(String.valueOf(s.current().runs()))))
                    .append(cell("right", esc(String.valueOf(s.current().succeeded()))))
                    .append(cell("right", s.current().failed() > 0
                            ? "<span style=\"color:" + RED + ";font-weight:600;\">" + esc(String.valueOf(s.current().failed())) + "</span>"
                            : esc("0")))
                    .append(cell("right", "<b>" + esc(Fmt.percent(s.current().successRate())) + "</b>"
                            + "<div style=\"font-size:11px;color:" + changeColor + ";white-space:nowrap;\">"
                            + esc(change.isEmpty() ? "prev " + Fmt.percent(s.previous().successRate())
                            : change + " (prev " + Fmt.percent(s.previous().successRate()) + ")") + "</div>"))
                    .append("</tr>\n");
        }
        h.append("</table></td></tr>\n");
    }

    private static String cell(String align, String html) {
        return "<td align=\"" + align + "\" style=\"padding:5px 3px;border-bottom:1px solid #f3f4f6;vertical-align:top;\">" + html + "</td>";
    }

    private static void row(StringBuilder h, String html) {
        h.append("<tr><td style=\"padding:6px 14px;\">").append(html).append("</td></tr>\n");
    }
}
