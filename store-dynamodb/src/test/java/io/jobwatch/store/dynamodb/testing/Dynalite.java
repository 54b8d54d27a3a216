package io.jobwatch.store.dynamodb.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * A real DynamoDB API for tests and benchmarks: the npm package dynalite (pinned in the repo-root package.json),
 * started on a free loopback port and stopped by {@link #close()}. When node_modules/dynalite is missing (a test run
 * outside the build, or the bench) it runs {@code tools/provision npm} first, as the build does before the tests. dynalite has no TTL and no
 * transactions: the store must not need them.
 *
 * <pre>try (Dynalite d = Dynalite.start()) { DynamoDbClient c = d.client(); … }</pre>
 * or {@link #shared()} for one instance per JVM (stopped when the JVM exits).
 */
public final class Dynalite implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    private static Dynalite shared;

    private final Process process;
    private final int port;
    private final Path log;

    private Dynalite(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** One dynalite per JVM, started on first use and stopped by a shutdown hook. */
    public static synchronized Dynalite shared() {
        if (shared == null || !shared.process.isAlive()) {
            Dynalite d = start();
            Runtime.getRuntime().addShutdownHook(new Thread(d::close, "dynalite-stop"));
            shared = d;
        }
        return shared;
    }

    /** Starts a fresh in-memory dynalite on a free loopback port and waits until it answers. */
    public static Dynalite start() {
        Path repo = repoRoot();
        Path cli = repo.resolve("node_modules/dynalite/cli.js");
        try {
            if (!Files.isRegularFile(cli)) {
                npmCi(repo);
            }
            int port = freePort();
            Path log = Files.createTempFile("dynalite-", ".log");
            Process p = new ProcessBuilder(List.of("node", cli.toString(), "--host", "127.0.0.1", "--port",
                    Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"))
                    .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Dynalite d = new Dynalite(p, port, log);
            d.awaitReady();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start dynalite (is node on the PATH?): " + e.getMessage(), e);
        }
    }

    public int port() {
        return port;
    }

    /** CPU time the dynalite process has used so far (user + system), where the OS reports it; else zero. */
    public java.time.Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client for this dynalite (static test credentials, us-east-1), with optional interceptors. */
    public DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().build())
                .overrideConfiguration(o -> {
                    for (ExecutionInterceptor i : interceptors) {
                        o.addExecutionInterceptor(i);
                    }
                })
                .build();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("dynalite exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        close();
        throw new IOException("dynalite did not answer on port " + port + " within " + READY_TIMEOUT + ": "
                + Files.readString(log));
    }

    /** npm ci through tools/provision, as the build does: locked against other builds, and only when out of date. */
    private static void npmCi(Path repo) throws IOException {
        Path log = Files.createTempFile("provision-npm-", ".log");
        Process p = new ProcessBuilder("bash", repo.resolve("tools/provision").toString(), "npm").directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(NPM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tools/provision npm did not finish within " + NPM_TIMEOUT + " in " + repo);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during tools/provision npm", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(Files.readString(log).strip());
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The repository root: system property jobwatch.repo, else the folder above holding package.json and examples/. */
    static Path repoRoot() {
        String prop = System.getProperty("jobwatch.repo");
        if (prop != null && Files.isRegularFile(Path.of(prop, "package.json"))) {
            return Path.of(prop);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("package.json")) && Files.isDirectory(dir.resolve("examples/events"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("repository root (package.json + examples/events) not found above "
                + Path.of("").toAbsolutePath());
    }
}
