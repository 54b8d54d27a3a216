package io.jobwatch.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/**
 * Secrets Manager's GetSecretValue as one signed JSON request (SigV4 with the SDK's signer and URL-connection client),
 * for the digest function: it reads the channel secrets for its chat summaries without the Secrets Manager SDK module
 * in its jar (which would take it past its 15 MB budget). Endpoint: {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} if set
 * (local runs, tests), else the region's. Errors name the secret and the status, never a value.
 */
final class SecretsOverHttp implements UnaryOperator<String> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER = 128 * 1024;

    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;

    /**
     * @param region   the function's region, or null for {@code AWS_REGION} in {@code variables}
     * @param endpoint the deployment's endpoint override for AWS services (tests), or null
     */
    SecretsOverHttp(AwsCredentialsProvider credentials, Region region, URI endpoint, Map<String, String> variables) {
        this.credentials = credentials;
        String r = region != null ? region.id() : variables.getOrDefault("AWS_REGION", "us-east-1");
        this.region = Region.of(r);
        String override = variables.get("AWS_ENDPOINT_URL_SECRETS_MANAGER");
        this.endpoint = endpoint != null ? endpoint : URI.create(override != null && !override.isBlank()
                ? override.strip() : "https://secretsmanager." + r + ".amazonaws.com");
    }

    @Override
    public String apply(String secretId) {
        byte[] body;
        try {
            body = JSON.writeValueAsBytes(Map.of("SecretId", secretId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue")
                .build();
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r.identity(credentials.resolveCredentials())
                .request(request).payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.REGION_NAME, region.id())
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager"));
        try (SdkHttpClient http = UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(10)).build()) {
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            int status = response.httpResponse().statusCode();
            String text = "";
            if (response.responseBody().isPresent()) {
                try (InputStream in = response.responseBody().get()) {
                    text = new String(in.readNBytes(MAX_ANSWER), StandardCharsets.UTF_8);
                }
            }
            JsonNode answer = text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
            if (status != 200) {
                throw new IllegalStateException("secret " + secretId + ": Secrets Manager answered HTTP " + status
                        + " " + answer.path("__type").asText("") + " — the function needs secretsmanager:GetSecretValue"
                        + " on it, and the secret must exist");
            }
            JsonNode value = answer.get("SecretString");
            if (value == null || !value.isTextual()) {
                throw new IllegalStateException("secret " + secretId + " has no text value: store a JSON object of"
                        + " variable names to values as the secret string");
            }
            return value.asText();
        } catch (IOException e) {
            throw new UncheckedIOException("secret " + secretId + ": no answer from Secrets Manager ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }
}
