package io.jobwatch.core.reconcile;

import io.jobwatch.core.run.JobSource;
import java.time.Duration;
import java.util.Objects;

/**
 * What one reconciliation found for one account, region and source: the figures /metrics, the digest and the
 * dashboard show.
 *
 * @param account           12-digit account id
 * @param region            region
 * @param source            the service
 * @param seen              runs the service listed
 * @param missingFromEvents runs the store did not know: their events never arrived (added, or in a dry run: would be)
 * @param advanced          runs the store had in an earlier state than the service reports (moved forward)
 * @param unchanged         runs the store already had as the service reports them (or further along)
 * @param lag               now minus the end of the newest finished run listed; null when none has finished
 * @param truncated         true when the listing hit the per-cycle bound: older runs were not looked at
 * @param error             why the service could not be asked, or null
 */
public record ReconcileStats(String account, String region, JobSource source, int seen, int missingFromEvents,
                             int advanced, int unchanged, Duration lag, boolean truncated, String error) {
    public ReconcileStats {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(source, "source");
    }

    public boolean failed() {
        return error != null;
    }

    /** The digest's sentence for runs found only by reconciliation in a system, or null when there were none. */
    public static String digestSentence(int foundOnlyByReconciliation, String system) {
        if (foundOnlyByReconciliation <= 0) {
            return null;
        }
        return foundOnlyByReconciliation + (foundOnlyByReconciliation == 1 ? " run was" : " runs were")
                + " found only by reconciliation in " + system + " — check the forwarding rule";
    }
}
