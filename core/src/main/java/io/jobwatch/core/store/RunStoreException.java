package io.jobwatch.core.store;

/** The store's back end failed (I/O, SQL, AWS error). The message names the operation and the run or job. */
public class RunStoreException extends RuntimeException {
    public RunStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public RunStoreException(String message) {
        super(message);
    }
}
