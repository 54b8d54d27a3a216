package io.jobwatch.core.digest;

import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Digest} as plain text: the body of the SNS email and what {@code jobwatch digest --format text}
 * prints. Same content and order as the HTML version. Control characters in values (which could move a terminal's
 * cursor or colour it) are replaced by spaces.
 */
public final class TextDigestRenderer {

    public String render(Digest d) {
        StringBuilder t = new StringBuilder(8_192);
        line(t, d.subject());
        line(t, Fmt.window(d));
        if (d.previousDeliveryFailed()) {
            t.append('\n');
            line(t, "! The previous digest could not be delivered. Items it would have shown are still listed here if they are still open.");
        }
        if (d.allGreen()) {
            t.append('\n');
            line(t, "All " + Fmt.plural(d.jobCount(), "job", "jobs") + " healthy.");
        } else {
            failing(t, d, "STILL FAILING", d.stillFailing());
            failing(t, d, "NEW FAILURES", d.newFailures());
            d.sla().ifPresent(items -> {
                if (!items.isEmpty()) {
                    heading(t, "LATE / MISSING / TOO LONG", items.size());
                    for (SlaBreach b : items) {
                        item(t, b, null, b.kind().label().toUpperCase(Locale.ROOT)
                                + (b.expectedAt() != null ? " \u00b7 expected " + Fmt.time(b.expectedAt(), d) : "")
                                + (b.detail() != null ? " \u00b7 " + b.detail() : ""), null, null);
                    }
                }
            });
            if (!d.recovered().isEmpty()) {
                heading(t, "RECOVERED", d.recovered().size());
                for (RecoveredJob r : d.recovered()) {
                    item(t, r, r.criticality(), "SUCCEEDED " + Fmt.time(r.run().endedAt(), d)
                            + (r.failuresInWindow() > 0 ? " \u00b7 after " + Fmt.plural(r.failuresInWindow(), "failure", "failures") + " in this window" : ""),
                            null, r.consoleUrl());
                }
            }
            if (!d.warned().isEmpty()) {
                heading(t, "SUCCEEDED WITH WARNINGS", d.warned().size());
                for (WarnedJob w : d.warned()) {
                    item(t, w, w.criticality(), "SUCCEEDED " + Fmt.time(w.run().endedAt(), d) + " \u00b7 "
                            + w.run().warning() + (w.warnedInWindow() > 1 ? " \u00b7 " + w.warnedInWindow()
                            + " runs with warnings in this window" : ""), null, w.consoleUrl());
                }
            }
            if (!d.runningNow().isEmpty()) {
                heading(t, "RUNNING NOW", d.runningNow().size());
                for (RunningJob r : d.runningNow()) {
                    item(t, r, r.criticality(), "since " + Fmt.time(r.run().startedAt(), d) + " \u00b7 " + Fmt.duration(r.elapsed())
                                    + (r.usual() != null ? " (usual " + Fmt.duration(r.usual()) + ")" : "")
                                    + (r.overUsual() ? String.format(Locale.ROOT, " \u00b7 %.1f\u00d7 usual", r.ratioToUsual()) : ""),
                            null, r.consoleUrl());
                }
            }
        }
        systems(t, d);
        d.trend().ifPresent(tr -> line(t, "  Week: " + tr));
        if (!d.allGreen() && d.healthyCount() > 0) {
            t.append('\n');
            line(t, Fmt.plural(d.healthyCount(), "other job", "other jobs") + " with nothing to report.");
        }
        t.append("\n-- \n");
        line(t, "Generated " + Fmt.time(d.generatedAt(), d) + " by Jobwatch for team " + d.team().name() + ".");
        return t.toString();
    }

    private static void failing(StringBuilder t, Digest d, String title, List<FailingJob> items) {
        if (items.isEmpty()) {
            return;
        }
        heading(t, title, items.size());
        for (FailingJob f : items) {
            item(t, f, f.criticality(), Fmt.state(f.lastRun().state()) + " " + Fmt.time(f.lastRun().endedAt(), d)
                            + " \u00b7 " + Fmt.streak(f.consecutiveFailures())
                            + (f.failuresInWindow() > 1 ? " \u00b7 " + f.failuresInWindow() + " in this window" : "")
                            + (f.openIncident() != null ? " \u00b7 incident " + f.openIncident() : "")
                            + (f.retrying() ? " \u00b7 " + f.retryingNote() : ""),
                    Fmt.error(f.lastRun().error()), f.consoleUrl());
        }
    }

    private static void heading(StringBuilder t, String title, int n) {
        t.append('\n');
        line(t, title + " (" + n + ")");
    }

    private static void item(StringBuilder t, DigestItem i, String criticality, String what, String error, String url) {
        line(t, "* " + i.job().jobName());
        line(t, "  " + Fmt.system(i.system()) + " \u00b7 " + i.job().source().label() + " \u00b7 " + i.job().account()
                + " " + i.job().region() + (criticality != null ? " \u00b7 " + criticality : ""));
        line(t, "  " + what);
        if (error != null) {
            line(t, "  Error: " + error);
        }
        if (url != null) {
            line(t, "  " + url);
        }
    }

    private static void systems(StringBuilder t, Digest d) {
        if (d.systems().isEmpty()) {
            return;
        }
        t.append('\n');
        line(t, "SUMMARY");
        int w = Math.max(6, d.systems().stream().mapToInt(s -> s.system().length()).max().orElse(6));
        line(t, String.format(Locale.ROOT, "  %-" + w + "s %6s %6s %6s %8s", "System", "Runs", "OK", "Failed", "Success"));
        for (SystemSummary s : d.systems()) {
            String change = Fmt.change(s.rateChange());
            line(t, String.format(Locale.ROOT, "  %-" + w + "s %6d %6d %6d %8s  %s", s.system(), s.current().runs(),
                    s.current().succeeded(), s.current().failed(), Fmt.percent(s.current().successRate()),
                    (change.isEmpty() ? "" : change + " ") + "(prev " + Fmt.percent(s.previous().successRate()) + ")"));
        }
    }

    private static void line(StringBuilder t, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            t.append(c < 0x20 || (c >= 0x7f && c <= 0x9f) ? ' ' : c);
        }
        t.append('\n');
    }
}
