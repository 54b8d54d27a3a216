package io.jobwatch.notify;

import io.jobwatch.core.channel.DeliveryException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** Turns an AWS SDK failure into a {@link DeliveryException}: throttling, 5xx and network errors are retryable. */
final class AwsFailures {
    private AwsFailures() {
    }

    static DeliveryException of(String channel, SdkException e) {
        if (e instanceof AwsServiceException ase) {
            int status = ase.statusCode();
            boolean retryable = status >= 500 || status == 429 || ase.isThrottlingException();
            String code = ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorCode() : null;
            String msg = ase.awsErrorDetails() != null ? ase.awsErrorDetails().errorMessage() : ase.getMessage();
            return new DeliveryException(channel, retryable,
                    (code != null ? code : "error") + " (HTTP " + status + "): " + msg, e);
        }
        // Client side: connection refused, timeout, unreadable response.
        return new DeliveryException(channel, true, e.getMessage(), e);
    }
}
