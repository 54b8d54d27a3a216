package io.jobwatch.notify;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * How the SES and SNS channels build their SDK clients: UrlConnectionHttpClient (fast Lambda start), no SDK-level
 * retries (the channel registry retries whole deliveries), the deployment's credentials, the region from
 * {@code AWS_REGION} in the channel context's environment (else the SDK's chain) unless one is given, and an optional
 * endpoint override (tests, VPC endpoints).
 *
 * @param credentials      the deployment's credentials (the Lambda's environment variables; the CLI's default chain)
 * @param region           a fixed region, or null for {@code AWS_REGION} / the SDK's chain
 * @param endpointOverride null for the region's public endpoint
 */
public record AwsSetup(AwsCredentialsProvider credentials, Region region, URI endpointOverride) {

    /** The SDK's default credential chain and region. */
    public static AwsSetup defaults() {
        return new AwsSetup(DefaultCredentialsProvider.builder().build(), null, null);
    }

    public SesV2Client ses(Map<String, String> env) {
        return configure(SesV2Client.builder(), env).build();
    }

    public SnsClient sns(Map<String, String> env) {
        return configure(SnsClient.builder(), env).build();
    }

    private <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Map<String, String> env) {
        Region r = region != null ? region : regionOf(env::get);
        if (r != null) {
            builder.region(r);
        }
        builder.credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(20)))
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()));
        if (endpointOverride != null) {
            builder.endpointOverride(endpointOverride);
        }
        return builder;
    }

    private static Region regionOf(Function<String, String> env) {
        String r = env.apply("AWS_REGION");
        return r == null || r.isBlank() ? null : Region.of(r.trim());
    }
}
