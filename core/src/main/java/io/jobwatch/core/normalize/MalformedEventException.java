package io.jobwatch.core.normalize;

/** Thrown by field readers for a missing or mistyped field; turned into {@link Normalization.Rejected}. */
final class MalformedEventException extends RuntimeException {
    final String field;
    final String expected;
    final String found;

    MalformedEventException(String field, String expected, String found) {
        super(field + ": expected " + expected + ", found " + found, null, false, false);
        this.field = field;
        this.expected = expected;
        this.found = found;
    }
}
