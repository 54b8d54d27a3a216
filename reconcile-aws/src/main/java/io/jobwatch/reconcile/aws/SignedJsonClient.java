package io.jobwatch.reconcile.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * A small read-only client for the services the run sources ask (Glue, Step Functions, Batch, DataSync, EMR
 * Serverless, AppFlow) without their SDK v2 modules — a sync SDK client drags in the model classes of every operation
 * of its service (Glue's alone is ~9 MB), we call two or three. It speaks their documented wire protocols (AWS JSON
 * 1.0/1.1 with {@code X-Amz-Target}; REST-JSON by path)
 * with the SDK's own parts — SigV4 ({@link AwsV4HttpSigner}), the SDK HTTP client, the SDK credential providers
 * (so cross-account STS assume-role works as for the SDK clients) and an SDK {@link RetryStrategy} (adaptive: backoff
 * on throttling, 5xx and I/O errors, a bounded number of attempts, client-side rate limiting once throttled).
 */
final class SignedJsonClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_11 = "application/x-amz-json-1.1";
    private static final String JSON_10 = "application/x-amz-json-1.0";

    private final SdkHttpClient http;
    private final URI endpoint;
    private final String signingName;
    private final String serviceLabel;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final RetryStrategy retry;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param endpoint     the service endpoint (scheme, host, port; e.g. {@code https://datasync.eu-west-1.amazonaws.com})
     * @param signingName  the SigV4 service name ({@code datasync}, {@code emr-serverless}, {@code appflow})
     * @param serviceLabel the service's name in error messages ({@code DataSync})
     */
    SignedJsonClient(SdkHttpClient http, URI endpoint, String signingName, String serviceLabel, String region,
                     AwsCredentialsProvider credentials, RetryStrategy retry) {
        this.http = Objects.requireNonNull(http, "http");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.signingName = Objects.requireNonNull(signingName, "signingName");
        this.serviceLabel = Objects.requireNonNull(serviceLabel, "serviceLabel");
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** AWS JSON 1.1 (Glue, DataSync): {@code POST /} with {@code X-Amz-Target: PREFIX.Operation}. */
    JsonNode json11(String targetPrefix, String operation, ObjectNode body) {
        return jsonRpc(JSON_11, targetPrefix, operation, body);
    }

    /** AWS JSON 1.0 (Step Functions): as 1.1, with content type {@code application/x-amz-json-1.0}. */
    JsonNode json10(String targetPrefix, String operation, ObjectNode body) {
        return jsonRpc(JSON_10, targetPrefix, operation, body);
    }

    private JsonNode jsonRpc(String contentType, String targetPrefix, String operation, ObjectNode body) {
        byte[] bytes = bytes(body);
        SdkHttpFullRequest request = base(SdkHttpMethod.POST, "/")
                .putHeader("X-Amz-Target", targetPrefix + "." + operation)
                .putHeader("Content-Type", contentType)
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .build();
        return call(operation, request, bytes);
    }

    /** REST-JSON read: {@code GET path?query} (query values are encoded here; the path must be encoded already). */
    JsonNode restGet(String operation, String encodedPath, Map<String, String> query) {
        SdkHttpFullRequest.Builder b = base(SdkHttpMethod.GET, encodedPath);
        query.forEach((k, v) -> {
            if (v != null) {
                b.putRawQueryParameter(k, v);
            }
        });
        return call(operation, b.build(), null);
    }

    /** REST-JSON with a JSON body: {@code POST path}. */
    JsonNode restPost(String operation, String encodedPath, ObjectNode body) {
        byte[] bytes = bytes(body);
        SdkHttpFullRequest request = base(SdkHttpMethod.POST, encodedPath)
                .putHeader("Content-Type", "application/json")
                .putHeader("Content-Length", Integer.toString(bytes.length))
                .build();
        return call(operation, request, bytes);
    }

    /** One path segment, percent-encoded (REST paths carry ids such as an EMR Serverless application id). */
    static String pathSegment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private SdkHttpFullRequest.Builder base(SdkHttpMethod method, String encodedPath) {
        String prefix = endpoint.getRawPath() == null || endpoint.getRawPath().equals("/") ? "" : endpoint.getRawPath();
        return SdkHttpFullRequest.builder().method(method).protocol(endpoint.getScheme()).host(endpoint.getHost())
                .port(endpoint.getPort() < 0 ? null : endpoint.getPort()).encodedPath(prefix + encodedPath)
                .putHeader("Accept", "application/json");
    }

    private JsonNode call(String operation, SdkHttpFullRequest request, byte[] body) {
        String what = serviceLabel + " " + operation;
        AcquireInitialTokenResponse first = retry.acquireInitialToken(AcquireInitialTokenRequest.create(signingName));
        RetryToken token = first.token();
        pause(first.delay());
        while (true) {
            try {
                JsonNode out = once(what, request, body);
                retry.recordSuccess(RecordSuccessRequest.create(token));
                return out;
            } catch (AwsApiException e) {
                RefreshRetryTokenResponse next;
                try {
                    next = retry.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(e).build());
                } catch (TokenAcquisitionFailedException stop) {
                    throw e; // not retryable, or out of attempts / retry capacity
                }
                token = next.token();
                pause(next.delay());
            }
        }
    }

    private JsonNode once(String what, SdkHttpFullRequest request, byte[] body) {
        AwsCredentialsIdentity identity;
        try {
            identity = credentials.resolveCredentials();
        } catch (SdkException e) {
            // e.g. the member account's role cannot be assumed: no point retrying this call
            throw new AwsApiException(what, 0, AwsApiException.NO_CREDENTIALS, e.getMessage(), e);
        }
        SignedRequest signed = signer.sign(r -> r.identity(identity).request(request)
                .payload(body == null ? null : ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        HttpExecuteResponse response;
        byte[] answer;
        try {
            response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null)).build()).call();
            Optional<AbortableInputStream> in = response.responseBody();
            answer = in.isPresent() ? readAll(in.get()) : new byte[0];
        } catch (IOException e) {
            throw new AwsApiException(what, 0, e.getClass().getSimpleName(), e.getMessage(), e);
        }
        SdkHttpResponse head = response.httpResponse();
        JsonNode json = parse(answer);
        if (head.isSuccessful()) {
            if (json == null) {
                throw new AwsApiException(what, head.statusCode(), "MalformedResponse",
                        "the answer is not JSON: " + clip(new String(answer, StandardCharsets.UTF_8)), null);
            }
            return json;
        }
        throw new AwsApiException(what, head.statusCode(), errorCode(head, json), errorMessage(head, json), null);
    }

    /** The error code: {@code x-amzn-ErrorType} (REST-JSON, before any ':'), else {@code __type} (after any '#'). */
    static String errorCode(SdkHttpResponse head, JsonNode body) {
        Optional<String> header = head.firstMatchingHeader("x-amzn-ErrorType");
        String code = header.orElse(null);
        if (code == null && body != null) {
            code = firstText(body, "__type", "code", "Code");
        }
        if (code == null) {
            return null;
        }
        int colon = code.indexOf(':');
        code = colon >= 0 ? code.substring(0, colon) : code;
        int hash = code.lastIndexOf('#');
        return hash >= 0 ? code.substring(hash + 1) : code;
    }

    private static String errorMessage(SdkHttpResponse head, JsonNode body) {
        String m = body == null ? null : firstText(body, "message", "Message", "errorMessage");
        return m != null ? m : head.firstMatchingHeader("x-amzn-ErrorMessage").orElse(null);
    }

    private static String firstText(JsonNode n, String... names) {
        for (String name : names) {
            JsonNode v = n.get(name);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    /**
     * A timestamp as the JSON protocols write it: epoch seconds (a number, possibly fractional); an ISO-8601 string is
     * accepted too. Null when absent.
     */
    static Instant time(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isNumber()) {
            return seconds(v.decimalValue());
        }
        String s = v.asText().trim();
        try {
            return seconds(new BigDecimal(s));
        } catch (NumberFormatException notNumber) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e) {
                throw new AwsApiException("reading " + field, 200, "MalformedResponse",
                        "'" + clip(s) + "' is neither epoch seconds nor an ISO-8601 time", e);
            }
        }
    }

    /** A number of epoch milliseconds (Batch writes its times so, as {@code long}s), or null when absent. */
    static Instant millis(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() || v.isTextual() && v.asText().trim().matches("-?[0-9]+")) {
            return Instant.ofEpochMilli(v.isIntegralNumber() ? v.longValue() : Long.parseLong(v.asText().trim()));
        }
        throw new AwsApiException("reading " + field, 200, "MalformedResponse",
                "'" + clip(v.asText()) + "' is not a number of epoch milliseconds", null);
    }

    /** A text field, or null when absent, null or blank. */
    static String text(JsonNode parent, String field) {
        JsonNode v = parent.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static Instant seconds(BigDecimal s) {
        BigDecimal whole = new BigDecimal(s.toBigInteger());
        return Instant.ofEpochSecond(whole.longValueExact(), s.subtract(whole).movePointRight(9).intValue());
    }

    private static JsonNode parse(byte[] answer) {
        if (answer.length == 0) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(answer);
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] bytes(ObjectNode body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static void pause(Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsApiException("waiting to retry", 0, "Interrupted", "interrupted while backing off", e);
        }
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
