package io.jobwatch.lambda;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The HTTP client of the priming store only: answers every request with {@code 200 {}} without any network, so the
 * whole request path of a first event — request building, marshalling, endpoint rules, signing, response
 * unmarshalling — runs before the SnapStart snapshot, and nothing is written anywhere. DynamoDB reads {@code {}} as an
 * empty successful response (no old item, no query results): the path of a run's first event.
 */
final class PrimingHttpClient implements SdkHttpClient {
    private static final byte[] EMPTY_JSON = "{}".getBytes(StandardCharsets.UTF_8);
    private final AtomicInteger requests = new AtomicInteger();
    private final java.util.Map<String, AtomicInteger> operations = new java.util.concurrent.ConcurrentHashMap<>();

    /** Requests answered so far. */
    int requests() {
        return requests.get();
    }

    /** Requests answered so far by DynamoDB operation (from {@code X-Amz-Target}, e.g. "GetItem"). */
    java.util.Map<String, Integer> operations() {
        java.util.Map<String, Integer> out = new java.util.TreeMap<>();
        operations.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                requests.incrementAndGet();
                String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("?");
                operations.computeIfAbsent(target.substring(target.indexOf('.') + 1), k -> new AtomicInteger())
                        .incrementAndGet();
                request.contentStreamProvider().ifPresent(p -> {
                    try (var body = p.newStream()) {
                        body.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("x-amzn-RequestId", "priming").build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(EMPTY_JSON)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    @Override
    public String clientName() {
        return "jobwatch-priming";
    }

    @Override
    public void close() {
    }
}
