package io.jobwatch.core.source;

/**
 * Thrown by field readers for a missing or mistyped field; the normalizer turns it into a precise rejection (field,
 * what was expected, what was found).
 */
public final class MalformedEventException extends RuntimeException {
    private final String field;
    private final String expected;
    private final String found;

    public MalformedEventException(String field, String expected, String found) {
        super(field + ": expected " + expected + ", found " + found, null, false, false);
        this.field = field;
        this.expected = expected;
        this.found = found;
    }

    /** JSON path of the offending field, e.g. {@code detail.jobRunId}. */
    public String field() {
        return field;
    }

    public String expected() {
        return expected;
    }

    public String found() {
        return found;
    }
}
