package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;

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
public record SlaBreach(JobKey job, String system, Kind kind, Instant expectedAt, String detail) implements DigestItem {
    public enum Kind {
        /** No run at all where the schedule expected one. */
        MISSING("missing"),
        /** The run started or finished after its deadline. */
        LATE("late"),
        /** The run has been running longer than its maximum duration. */
        LONG_RUNNING("too long"),
        /** The run finished much faster than usual (often: it did nothing). */
        TOO_SHORT("too short");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public SlaBreach {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
    }
}
