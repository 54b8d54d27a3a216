package io.jobwatch.export.s3;

import io.jobwatch.core.testing.Fixtures;
import java.io.File;
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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;

/**
 * The npm s3rver (pinned in the repo's package-lock.json) on a free loopback port, for tests: installs it with
 * {@code tools/provision npm} (as the build does) when node_modules lacks it, starts it with one bucket, stops it on close.
 */
public final class S3rver implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path dir;

    private S3rver(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    public static S3rver start(String bucket) throws IOException {
        Path repo = Fixtures.repoRoot();
        Path cli = repo.resolve("node_modules/s3rver/bin/s3rver.js");
        if (!Files.exists(cli)) {
            npmCi(repo);
        }
        Path dir = Files.createTempDirectory("jobwatch-s3rver-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        File log = dir.resolve("s3rver.log").toFile();
        Process p = new ProcessBuilder("node", cli.toString(), "-d", dir.resolve("data").toString(),
                "-a", "127.0.0.1", "-p", Integer.toString(port), "--configure-bucket", bucket, "--silent")
                .redirectErrorStream(true).redirectOutput(log).start();
        S3rver server = new S3rver(p, port, dir);
        server.awaitPort(Duration.ofSeconds(30), log.toPath());
        return server;
    }

    /** npm ci through tools/provision, as the build does: locked against other builds, and only when out of date. */
    private static void npmCi(Path repo) throws IOException {
        Process npm = new ProcessBuilder("bash", repo.resolve("tools/provision").toString(), "npm")
                .directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(npm.getInputStream().readAllBytes());
        try {
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                throw new IOException(out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while installing s3rver", e);
        }
    }

    /** Waits until the server accepts connections (or fails fast if it died). */
    private void awaitPort(Duration timeout, Path log) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("s3rver exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
        }
        close();
        throw new IOException("s3rver did not open port " + port + " within " + timeout);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** A client with the settings s3rver needs (see shared TOOLS.md), plus optional interceptors. */
    public S3Client client(ExecutionInterceptor... interceptors) {
        return S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .endpointOverride(endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("S3RVER", "S3RVER")))
                .forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
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
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
