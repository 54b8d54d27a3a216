package io.jobwatch.core.incident;

import io.jobwatch.core.run.Text;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to the incident system (or a send to a team's channel) did not succeed. It says whether trying again later can help
 * (connection refused, timeout, 5xx, 429) and how long the server asked to wait; anything else (other 4xx) needs a
 * human and is parked with the response body. Messages never carry credentials.
 */
public final class GatewayException extends RuntimeException {
    /** Response bodies kept for a human are bounded: enough to read the error envelope. */
    public static final int MAX_BODY_BYTES = 4096;

    private final int status;
    private final boolean retryable;
    private final Duration retryAfter;
    private final String responseBody;

    private GatewayException(String message, int status, boolean retryable, Duration retryAfter, String responseBody,
                             Throwable cause) {
        super(message, cause);
        this.status = status;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
        this.responseBody = Text.truncateUtf8(responseBody, MAX_BODY_BYTES);
    }

    /** No response at all (connection refused or reset, timeout): always worth retrying. */
    public static GatewayException unreachable(String message, Throwable cause) {
        return new GatewayException(message, 0, true, null, null, cause);
    }

    /**
     * An HTTP error response, classified: 408, 429 and 5xx are retryable (honouring {@code retryAfter} if given),
     * everything else is not.
     */
    public static GatewayException ofStatus(String message, int status, String responseBody, Duration retryAfter) {
        boolean retryable = status == 408 || status == 429 || status >= 500;
        return new GatewayException(message, status, retryable, retryable ? retryAfter : null, responseBody, null);
    }

    /**
     * A failure its transport has already classified (a chat service that answers 200 with an error in the body, a
     * throttle reported in text): {@code retryable} as given.
     */
    public static GatewayException failed(String message, int status, boolean retryable, Duration retryAfter,
                                          String responseBody) {
        return new GatewayException(message, status, retryable, retryable ? retryAfter : null, responseBody, null);
    }

    /** Nothing to apply the action to (e.g. no open incident to add a note to): a human must look. */
    public static GatewayException notApplicable(String message) {
        return new GatewayException(message, 0, false, null, null, null);
    }

    /** HTTP status, or 0 when there was no response. */
    public int status() {
        return status;
    }

    public boolean retryable() {
        return retryable;
    }

    /** The server's Retry-After, if it sent one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The response body (bounded), or null. */
    public String responseBody() {
        return responseBody;
    }
}
