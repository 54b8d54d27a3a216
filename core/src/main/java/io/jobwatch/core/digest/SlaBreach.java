package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.BreachKind;
import io.jobwatch.core.sla.Confidence;
import java.time.Instant;
import java.util.Objects;

/**
 * A broken expectation found by the SLA checks, listed in the digest's "late / missing / too long" section.
 * It carries its own system because a job that never ran may have no {@link JobView}.
 *
 * @param job        the job
 * @param system     the job's system from the catalog, or null
 * @param kind       what is wrong
 * @param expectedAt when the run was expected to start (MISSING, LATE) or to be finished (LONG_RUNNING), or null
 * @param detail     one human line, e.g. "expected by 07:30, not started" or "running 3h 10m, max 2h"
 */
public record SlaBreach(JobKey job, String system, BreachKind kind, Instant expectedAt, String detail) implements DigestItem {
    public SlaBreach {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
    }

    /** The digest's line for a breach the SLA checks found; a learned expectation says so. */
    public static SlaBreach of(Breach b, String system) {
        return new SlaBreach(b.job(), system, b.kind(), b.expectedAt(),
                b.confidence() == Confidence.LOW ? b.detail() + " (learned)" : b.detail());
    }
}
