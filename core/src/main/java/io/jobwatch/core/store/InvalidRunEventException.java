package io.jobwatch.core.store;

/**
 * A normalized event the run model cannot take (e.g. a run id missing where the source always has one). Thrown by
 * {@link RunStore#apply} before anything is written; the message says which field, what was found and how to fix it.
 */
public final class InvalidRunEventException extends IllegalArgumentException {
    private final String field;

    public InvalidRunEventException(String eventId, String field, String problem) {
        super("event " + eventId + ": " + field + ": " + problem);
        this.field = field;
    }

    /** The RunEvent field at fault, e.g. {@code runId}. */
    public String field() {
        return field;
    }
}
