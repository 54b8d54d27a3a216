package io.jobwatch.core.normalize;

import io.jobwatch.core.run.RunEvent;

/** What became of one raw event: a run event, a source Jobwatch does not follow, or a precise rejection. */
public sealed interface Normalization {

    /** The event was understood. */
    record Normalized(RunEvent event) implements Normalization {
    }

    /**
     * Well-formed, but from a source/detail-type Jobwatch does not follow, or of a followed type but not about a job
     * run (an ECS service's task, a DMS task being created); skipped, not an error.
     *
     * @param reason why an event of a followed type is skipped, or null for a type Jobwatch does not follow
     */
    record Unsupported(String source, String detailType, String reason) implements Normalization {
        public Unsupported(String source, String detailType) {
            this(source, detailType, null);
        }

        public String message() {
            return reason == null ? "unsupported event: source=" + source + " detail-type=" + detailType
                    : "not a job run: source=" + source + " detail-type=" + detailType + ": " + reason;
        }
    }

    /**
     * Malformed: a required field is missing or has the wrong type or shape.
     *
     * @param field    JSON path of the offending field, e.g. {@code detail.jobRunId}
     * @param expected what the field should have been
     * @param found    what was there instead (short, for the message)
     */
    record Rejected(String field, String expected, String found) implements Normalization {
        public String message() {
            return field + ": expected " + expected + ", found " + found;
        }
    }
}
