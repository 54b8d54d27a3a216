package io.jobwatch.lambda;

import io.jobwatch.export.s3.S3ExportDestination;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * SDK clients as the handlers build them at init: UrlConnectionHttpClient (no Apache/Netty: smaller jar, faster
 * start), the credentials Lambda puts in the environment (no provider-chain probing), the function's region. An
 * endpoint can be redirected with the SDK's standard {@code AWS_ENDPOINT_URL_<SERVICE>} variables (local runs).
 */
final class AwsClients {
    private AwsClients() {
    }

    static DynamoDbClient dynamo(Env env) {
        return configure(DynamoDbClient.builder(), env).build();
    }

    /**
     * The export's S3 client. With {@code AWS_ENDPOINT_URL_S3} set (an S3-compatible stand-in such as s3rver) it is
     * export-s3's client for such servers: path-style, no chunked encoding.
     */
    static S3Client s3(Env env, java.util.Map<String, String> variables) {
        String endpoint = variables.get("AWS_ENDPOINT_URL_S3");
        if (endpoint != null && !endpoint.isBlank()) {
            return S3ExportDestination.client(URI.create(endpoint.trim()), region(env));
        }
        return configure(S3Client.builder(), env).build();
    }

    static SecretsManagerClient secrets(Env env) {
        return configure(SecretsManagerClient.builder(), env).build();
    }

    static AwsCredentialsProvider credentials() {
        return EnvironmentVariableCredentialsProvider.create();
    }

    /** How the digest's SES and SNS channels build their clients: the function's credentials and region. */
    static io.jobwatch.notify.AwsSetup channels(Env env) {
        return new io.jobwatch.notify.AwsSetup(credentials(), region(env), null);
    }

    static Region region(Env env) {
        return env.region().map(Region::of).orElse(null);
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(B builder, Env env) {
        builder.credentialsProvider(credentials())
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(3))
                        .socketTimeout(Duration.ofSeconds(10)));
        Region region = region(env);
        if (region != null) {
            builder.region(region);
        }
        return builder;
    }
}
