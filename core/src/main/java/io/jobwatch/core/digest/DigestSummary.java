package io.jobwatch.core.digest;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A team's digest in a few lines, for chat channels (Slack, Teams): the subject, the window, the counts and the most
 * urgent items — the e-mail has the rest. Written here once, so every chat channel says the same.
 *
 * @param title         the digest's subject ({@link DigestSubject})
 * @param window        the window in the team's zone, e.g. "Tue 25 Nov 2026, 06:00–11:00 Europe/Berlin"
 * @param counts        e.g. "44 jobs · 41 ok · 2 failing · 1 late · 1 recovered · 3 running"
 * @param runs          the window's finished runs, e.g. "Runs: 130 finished, 127 succeeded, 3 failed (97.7%)"
 * @param top           the most urgent items, one plain-text line each: new failures, still failing, SLA breaches,
 *                      then recoveries
 * @param more          items not shown
 * @param previousNote  a line saying the previous digest was not delivered, or null
 */
public record DigestSummary(String title, String window, String counts, String runs, List<String> top, int more,
                            String previousNote) {
    /** Items a chat message lists. */
    public static final int TOP = 5;

    public DigestSummary {
        Objects.requireNonNull(title, "title");
        top = List.copyOf(top);
    }

    public static DigestSummary of(Digest d) {
        return of(d, TOP);
    }

    public static DigestSummary of(Digest d, int maxItems) {
        List<String> parts = new ArrayList<>();
        parts.add(Fmt.plural(d.jobCount(), "job", "jobs"));
        parts.add(d.okCount() + " ok");
        if (d.failingCount() > 0) {
            parts.add(d.failingCount() + " failing");
        }
        if (d.lateCount() > 0) {
            parts.add(d.lateCount() + " late");
        }
        if (!d.recovered().isEmpty()) {
            parts.add(d.recovered().size() + " recovered");
        }
        if (!d.runningNow().isEmpty()) {
            parts.add(d.runningNow().size() + " running");
        }
        WindowCounts total = WindowCounts.NONE;
        for (SystemSummary s : d.systems()) {
            total = total.plus(s.current());
        }
        String runs = "Runs: " + total.runs() + " finished, " + total.succeeded() + " succeeded, " + total.failed()
                + " failed (" + Fmt.percent(total.successRate()) + ")";
        List<String> items = new ArrayList<>();
        for (FailingJob f : d.newFailures()) {
            items.add(failing(f, "NEW FAILURE"));
        }
        for (FailingJob f : d.stillFailing()) {
            items.add(failing(f, "STILL FAILING"));
        }
        d.sla().ifPresent(list -> {
            for (SlaBreach b : list) {
                items.add(b.kind().label().toUpperCase(java.util.Locale.ROOT) + " " + label(b) + (b.detail() == null
                        ? "" : " — " + b.detail()));
            }
        });
        for (RecoveredJob r : d.recovered()) {
            items.add("RECOVERED " + label(r));
        }
        int shown = Math.min(items.size(), Math.max(0, maxItems));
        return new DigestSummary(d.subject(), Fmt.window(d), String.join(" · ", parts), runs,
                items.subList(0, shown), items.size() - shown,
                d.previousDeliveryFailed() ? "The previous digest could not be delivered." : null);
    }

    private static String failing(FailingJob f, String what) {
        String error = f.lastRun() == null ? null : Fmt.error(f.lastRun().error());
        return what + " " + label(f) + " (" + Fmt.streak(f.consecutiveFailures()) + ")"
                + (f.openIncident() == null ? "" : " " + f.openIncident()) + (error == null ? "" : " — " + error);
    }

    private static String label(DigestItem i) {
        return (i.system() == null || i.system().isBlank() ? "" : "[" + i.system() + "] ") + i.job().source().label()
                + " " + i.job().jobName();
    }

    /** The summary as plain text lines (what a text-only chat shows). */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        out.add(title);
        out.add(window);
        out.add(counts);
        out.add(runs);
        out.addAll(top);
        if (more > 0) {
            out.add("… and " + more + " more in the e-mail digest");
        }
        if (previousNote != null) {
            out.add(previousNote);
        }
        return out;
    }
}
