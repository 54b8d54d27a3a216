package io.jobwatch.core.sla;

import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One broken expectation of one job that holds at {@code detectedAt}. At most one breach per job and kind.
 *
 * @param job        the job
 * @param kind       what is wrong (the digest's kinds: MISSING, LATE, LONG_RUNNING, TOO_SHORT)
 * @param expectedAt MISSING: the expected start; LATE: the deadline; LONG_RUNNING: when the run should have ended
 *                   (start + bound); TOO_SHORT: the run's start
 * @param detectedAt the evaluation time that found it
 * @param detail     one human line, e.g. "expected at 05:30 Europe/Lisbon (cron(30 5 * * ? *)), not started by 06:00"
 * @param confidence HIGH for declared expectations, LOW for learned ones
 * @param runId      the run it is about (LATE, LONG_RUNNING, TOO_SHORT), or null (MISSING)
 * @param pages      whether it may open an incident: a kind incidents know (not TOO_SHORT), and HIGH confidence or
 *                   a job whose expectations say {@code pageOnLearned}
 */
public record Breach(JobKey job, BreachKind kind, Instant expectedAt, Instant detectedAt, String detail,
                     Confidence confidence, String runId, boolean pages) {

    public Breach {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(expectedAt, "expectedAt");
        Objects.requireNonNull(detectedAt, "detectedAt");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(confidence, "confidence");
    }

    /** The identity of a breach across evaluations: job and kind. */
    public String key() {
        return key(job, kind);
    }

    public static String key(JobKey job, BreachKind kind) {
        return job.id() + "#" + kind.name();
    }

    /** The incident problem kind this breach maps to; empty for TOO_SHORT (digest only). */
    public Optional<ProblemKind> problemKind() {
        return switch (kind) {
            case MISSING -> Optional.of(ProblemKind.MISSING);
            case LATE -> Optional.of(ProblemKind.LATE);
            case LONG_RUNNING -> Optional.of(ProblemKind.LONG_RUNNING);
            case TOO_SHORT -> Optional.empty();
        };
    }

}
