package io.jobwatch.reconcile.aws;

import java.util.Set;

/**
 * A service answered a call made with {@link SignedJsonClient} with an error (or could not be reached). Carries the
 * error code the service wrote ({@code __type} / {@code x-amzn-ErrorType}), so callers can tell throttling and a
 * missing resource from the rest.
 */
final class AwsApiException extends RuntimeException {
    /** Error code when the call could not be signed: no credentials (e.g. the role could not be assumed). */
    static final String NO_CREDENTIALS = "CredentialsUnavailable";
    /** The throttling codes AWS services use (the SDK treats the same ones as throttling). */
    private static final Set<String> THROTTLING = Set.of("ThrottlingException", "Throttling", "ThrottledException",
            "RequestThrottledException", "TooManyRequestsException", "RequestLimitExceeded", "RequestThrottled",
            "SlowDown", "BandwidthLimitExceeded", "ProvisionedThroughputExceededException", "TransactionInProgressException",
            "PriorRequestNotComplete", "EC2ThrottledException");
    private static final Set<String> TRANSIENT = Set.of("InternalException", "InternalServerException",
            "InternalFailure", "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout",
            "RequestTimeoutException");

    private final String operation;
    private final int status;
    private final String errorCode;

    /**
     * @param operation the service and operation, e.g. {@code DataSync ListTaskExecutions}
     * @param status    HTTP status, or 0 when no answer came (I/O error)
     * @param errorCode the service's error code, or null when it wrote none
     * @param detail    the service's message (or the I/O error's)
     */
    AwsApiException(String operation, int status, String errorCode, String detail, Throwable cause) {
        super(operation + " failed: " + (errorCode != null ? errorCode : "error") + (status > 0 ? " (HTTP " + status + ")" : "")
                + (detail == null || detail.isBlank() ? "" : ": " + detail), cause);
        this.operation = operation;
        this.status = status;
        this.errorCode = errorCode;
    }

    String operation() {
        return operation;
    }

    int status() {
        return status;
    }

    String errorCode() {
        return errorCode;
    }

    /** Throttled: back off (and, in adaptive mode, slow the client down) before trying again. */
    boolean throttling() {
        return status == 429 || errorCode != null && THROTTLING.contains(errorCode);
    }

    /** Worth another attempt: throttled, a 5xx, a transient service error, or no answer at all. */
    boolean retryable() {
        return throttling() || status == 0 && !NO_CREDENTIALS.equals(errorCode) || status >= 500
                || errorCode != null && TRANSIENT.contains(errorCode);
    }

    boolean notFound() {
        return status == 404 || "ResourceNotFoundException".equals(errorCode) || "EntityNotFoundException".equals(errorCode);
    }
}
