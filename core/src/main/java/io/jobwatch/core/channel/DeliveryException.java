package io.jobwatch.core.channel;

import io.jobwatch.core.run.Text;
import java.time.Duration;
import java.util.Optional;

/**
 * A message could not be delivered. The message text says what failed on which channel and never contains
 * credentials (a channel masks its secrets before it builds one).
 */
public class DeliveryException extends Exception {
    /** Response bodies kept for a human are bounded: enough to read the error. */
    public static final int MAX_BODY_BYTES = 4096;

    private final String channel;
    private final boolean retryable;
    private final String detail;
    private final int status;
    private final Duration retryAfter;
    private final String responseBody;

    /**
     * @param channel   "smtp", "ses", "sns" …
     * @param retryable true for transient causes (connection refused, timeout, throttling, 5xx), false for those
     *                  that repeat identically (bad address, unverified sender, access denied)
     */
    public DeliveryException(String channel, boolean retryable, String message, Throwable cause) {
        this(channel, retryable, message, 0, null, null, cause);
    }

    /**
     * A failure with the service's answer.
     *
     * @param status       HTTP status, or 0 when there was no response
     * @param retryAfter   how long the service asked to wait (429's Retry-After), or null
     * @param responseBody what it answered (bounded here; already masked), or null
     */
    public DeliveryException(String channel, boolean retryable, String message, int status, Duration retryAfter,
                             String responseBody, Throwable cause) {
        super(channel + ": " + message, cause);
        this.channel = channel;
        this.retryable = retryable;
        this.detail = message;
        this.status = status;
        this.retryAfter = retryable ? retryAfter : null;
        this.responseBody = Text.truncateUtf8(responseBody, MAX_BODY_BYTES);
    }

    /** The message without the channel prefix. */
    public String detail() {
        return detail;
    }

    public String channel() {
        return channel;
    }

    public boolean retryable() {
        return retryable;
    }

    /** HTTP status of the failed answer, or 0 when there was none. */
    public int status() {
        return status;
    }

    /** The wait the service asked for, if it did. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The service's answer (bounded), or null. */
    public String responseBody() {
        return responseBody;
    }
}
