package io.jobwatch.reconcile.aws;

import java.util.Objects;

/**
 * An AWS service a run lister asks through {@link SignedJsonClient}.
 *
 * @param id             the SDK's service name, also the key of an endpoint override (e.g. {@code glue}, {@code sagemaker})
 * @param endpointPrefix the regional endpoint's first label(s): {@code https://PREFIX.REGION.amazonaws.com}
 * @param signingName    the SigV4 service name
 * @param label          the service's name in error messages
 */
public record AwsService(String id, String endpointPrefix, String signingName, String label) {
    public AwsService {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(endpointPrefix, "endpointPrefix");
        Objects.requireNonNull(signingName, "signingName");
        Objects.requireNonNull(label, "label");
    }

    /** A service whose endpoint prefix and signing name are its id. */
    public static AwsService of(String id, String label) {
        return new AwsService(id, id, id, label);
    }
}
