package io.jobwatch.notify;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;

import java.net.URI;
import java.time.Duration;

/**
 * SDK clients for the notifiers: UrlConnectionHttpClient (fast Lambda start), no SDK-level retries
 * ({@link io.jobwatch.core.digest.RetryingNotifier} retries whole deliveries), optional endpoint override
 * (tests, VPC endpoints).
 */
public final class AwsClients {
    private AwsClients() {
    }

    /**
     * @param endpointOverride null for the region's public endpoint
     * @param credentials      e.g. DefaultCredentialsProvider.create(); static ones in tests
     */
    public static SesV2Client ses(Region region, URI endpointOverride, AwsCredentialsProvider credentials) {
        return configure(SesV2Client.builder(), region, endpointOverride, credentials).build();
    }

    public static SnsClient sns(Region region, URI endpointOverride, AwsCredentialsProvider credentials) {
        return configure(SnsClient.builder(), region, endpointOverride, credentials).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, Region region, URI endpointOverride, AwsCredentialsProvider credentials) {
        builder.region(region)
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(20)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder;
    }
}
