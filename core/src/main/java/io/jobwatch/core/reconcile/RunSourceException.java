package io.jobwatch.core.reconcile;

/** A service could not be asked about its runs. The message names the service, account, region and the cause. */
public class RunSourceException extends RuntimeException {
    public RunSourceException(String message, Throwable cause) {
        super(message, cause);
    }

    public RunSourceException(String message) {
        super(message);
    }
}
