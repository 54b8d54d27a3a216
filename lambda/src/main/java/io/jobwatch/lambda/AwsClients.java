package io.jobwatch.lambda;

import io.jobwatch.export.s3.S3ExportDestination;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * SDK clients as the handlers build them at init: UrlConnectionHttpClient (no Apache/Netty: smaller jar, faster
 * start), the credentials Lambda gives the function (no provider-chain probing), the function's region. An
 * endpoint can be redirected with the SDK's standard {@code AWS_ENDPOINT_URL_<SERVICE>} variables (local runs).
 */
final class AwsClients {
    private AwsClients() {
    }

    static DynamoDbClient dynamo(Env env) {
        return configure(DynamoDbClient.builder(), env).build();
    }

    /**
     * A DynamoDB client for SnapStart priming: the same service client with {@code http} instead of the network and
     * fixed credentials (requests are signed as usual but never leave the JVM), in the function's region.
     */
    static DynamoDbClient priming(Env env, SdkHttpClient http) {
        return DynamoDbClient.builder()
                .httpClient(http)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .region(env.region().map(Region::of).orElse(Region.US_EAST_1))
                .build();
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

    /**
     * The function's credentials. Lambda puts them in the environment ({@code AWS_ACCESS_KEY_ID} …), except for a
     * SnapStart function: there the Java runtime serves them from the container credentials endpoint
     * ({@code AWS_CONTAINER_CREDENTIALS_FULL_URI} + {@code AWS_CONTAINER_AUTHORIZATION_TOKEN}) and the access-key
     * variables are absent — so the endpoint wins when it is set. Either way no provider chain is probed.
     */
    static AwsCredentialsProvider credentials() {
        if (SdkSystemSetting.AWS_CONTAINER_CREDENTIALS_FULL_URI.getStringValue().filter(v -> !v.isBlank()).isPresent()) {
            return ContainerCredentialsProvider.builder().build();
        }
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
