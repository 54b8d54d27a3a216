package io.jobwatch.core.digest;

/**
 * Delivers a message to people: the port the notify adapters (SMTP, Amazon SES, Amazon SNS) implement.
 * Implementations are thread-safe and do not retry themselves; wrap one in {@link RetryingNotifier}.
 */
public interface Notifier {
    /**
     * Sends the message once.
     *
     * @throws DeliveryException when the channel refused or could not be reached; {@link DeliveryException#retryable()}
     *                           says whether trying again may help
     */
    void send(Message message) throws DeliveryException;
}
