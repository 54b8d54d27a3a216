package io.jobwatch.core.normalize;

import io.jobwatch.core.run.JobSource;
import java.util.List;

/** Reads one service's event detail into the run model. One implementation per source. */
interface SourceNormalizer {

    JobSource source();

    /** The envelope {@code source} this normalizer reads, e.g. {@code aws.glue}. */
    String eventSource();

    /** The envelope {@code detail-type}s it reads. */
    List<String> detailTypes();

    /** Reads the fields; throws {@link MalformedEventException} for a missing or mistyped one. */
    Parsed read(Envelope env);

    /** What a source yields; the registry adds the shared parts (state mapping, error rule, truncation). */
    record Parsed(String jobName, String runId, String sourceState, java.time.Instant startedAt,
                  java.time.Instant endedAt, String error) {
    }
}
