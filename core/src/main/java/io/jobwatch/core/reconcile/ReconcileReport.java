package io.jobwatch.core.reconcile;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one reconciliation did.
 *
 * @param at      reconciler clock when it ran
 * @param since   the listings covered runs from this instant on
 * @param dryRun  true when nothing was written (the actions are what it would do)
 * @param stats   one entry per scope asked, in the order asked
 * @param actions the fixes, in the order made
 */
public record ReconcileReport(Instant at, Instant since, boolean dryRun, List<ReconcileStats> stats,
                              List<ReconcileAction> actions) {
    public ReconcileReport {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(since, "since");
        stats = List.copyOf(stats);
        actions = List.copyOf(actions);
    }

    public int seen() {
        return stats.stream().mapToInt(ReconcileStats::seen).sum();
    }

    public int missingFromEvents() {
        return stats.stream().mapToInt(ReconcileStats::missingFromEvents).sum();
    }

    public int advanced() {
        return stats.stream().mapToInt(ReconcileStats::advanced).sum();
    }

    public boolean anyFailed() {
        return stats.stream().anyMatch(ReconcileStats::failed);
    }

    /** Runs found only by reconciliation, per account id (sorted): the digest's "check the forwarding rule" line. */
    public Map<String, Integer> missingByAccount() {
        Map<String, Integer> out = new TreeMap<>();
        for (ReconcileStats s : stats) {
            if (s.missingFromEvents() > 0) {
                out.merge(s.account(), s.missingFromEvents(), Integer::sum);
            }
        }
        return out;
    }
}
