package io.jobwatch.cli.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Lambda Invoke API endpoint on a free loopback port ({@code POST /2015-03-31/functions/{name}/invocations}, as the
 * Lambda API reference documents it) running a function in this JVM: 200 with the function's response as the payload,
 * or — when the function throws — 200 with {@code X-Amz-Function-Error: Unhandled} and the
 * {@code {"errorMessage","errorType"}} payload. Synchronous (RequestResponse) invocations only.
 */
public final class LocalLambda implements AutoCloseable {

    /** The function: a payload in, a response out, or an exception (an unhandled function error). */
    @FunctionalInterface
    public interface Function {
        byte[] handle(byte[] payload) throws Exception;
    }

    /** One invocation as received. */
    public record Invocation(String functionName, String invocationType, String payload) {
    }

    private final HttpServer server;
    private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    private volatile Function function;

    public LocalLambda(Function function) throws IOException {
        this.function = function;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/2015-03-31/functions/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String name = java.net.URLDecoder.decode(path.substring("/2015-03-31/functions/".length(),
                        path.lastIndexOf("/invocations")), StandardCharsets.UTF_8);
                byte[] payload = exchange.getRequestBody().readAllBytes();
                String type = exchange.getRequestHeaders().getFirst("X-Amz-Invocation-Type");
                invocations.add(new Invocation(name, type == null ? "RequestResponse" : type,
                        new String(payload, StandardCharsets.UTF_8)));
                byte[] response;
                try {
                    response = this.function.handle(payload);
                } catch (Exception e) {
                    exchange.getResponseHeaders().add("X-Amz-Function-Error", "Unhandled");
                    response = ("{\"errorMessage\":" + quote(String.valueOf(e.getMessage())) + ",\"errorType\":"
                            + quote(e.getClass().getName()) + "}").getBytes(StandardCharsets.UTF_8);
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.getResponseHeaders().add("X-Amz-Executed-Version", "1");
                exchange.sendResponseHeaders(200, response.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response);
                }
            }
        });
        server.start();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Replaces the function (e.g. a fixed deployment). */
    public void deploy(Function f) {
        this.function = f;
    }

    public List<Invocation> invocations() {
        return List.copyOf(invocations);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
