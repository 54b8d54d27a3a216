package io.jobwatch.core.export;

/** An export could not complete: names the day and object that failed. No manifest was written. */
public final class ExportFailedException extends RuntimeException {
    public ExportFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
