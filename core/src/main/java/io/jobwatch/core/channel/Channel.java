package io.jobwatch.core.channel;

/**
 * Where Jobwatch tells people something: one transport (SMTP, Amazon SES, Amazon SNS, a folder of HTML files …), set
 * up from a {@link ChannelSpec} by its {@link ChannelFactory}. The port the notify adapters implement, one class each.
 * Implementations are thread-safe and do not retry; {@link ChannelRegistry#open} wraps them in a
 * {@link RetryingChannel}.
 */
public interface Channel {

    /** The registry type it was opened as, e.g. {@code smtp}. */
    String type();

    /** Where it delivers, for logs and reports: a host, a topic, a folder — never a secret. */
    String target();

    /**
     * Sends the notice once.
     *
     * @throws DeliveryException when the channel refused or could not be reached; {@link DeliveryException#retryable()}
     *                           says whether trying again may help
     */
    void send(Notice notice) throws DeliveryException;
}
