package io.jobwatch.core.source;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * One simulated run for a source to write as events (see {@link SourceDescriptor#simulate}).
 *
 * @param job       the job
 * @param runNumber a number unique per job and run (day × 1000 + run of the day)
 * @param start     when it starts
 * @param end       when it ends (ignored when {@code neverEnds})
 * @param failed    whether it fails
 * @param neverEnds true for a run still going when the simulated window ends: only its first events
 * @param rnd       the random stream of this job and day (every value a source makes up comes from it)
 */
public record SimRun(JobKey job, long runNumber, Instant start, Instant end, boolean failed, boolean neverEnds,
                     SplittableRandom rnd) {
}
