package io.jobwatch.core.channel;

/**
 * A message could not be delivered. The message text says what failed on which channel and never contains
 * credentials.
 */
public class DeliveryException extends Exception {
    private final String channel;
    private final boolean retryable;
    private final String detail;

    /**
     * @param channel   "smtp", "ses", "sns" …
     * @param retryable true for transient causes (connection refused, timeout, throttling, 5xx), false for those
     *                  that repeat identically (bad address, unverified sender, access denied)
     */
    public DeliveryException(String channel, boolean retryable, String message, Throwable cause) {
        super(channel + ": " + message, cause);
        this.channel = channel;
        this.retryable = retryable;
        this.detail = message;
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
}
