package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobwatch serve} as a real process: prints the URL and the generated key once, stops cleanly on SIGTERM. */
class ServeCommandTest {
    @TempDir
    Path dir;

    record Started(Process process, Path stdout, List<String> banner, URI uri) {
    }

    /** Waits (polling the output file) until the process has printed a line starting with {@code prefix}. */
    static List<String> awaitLine(Process p, Path stdout, String prefix) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            if (lines.stream().anyMatch(l -> l.startsWith(prefix))) {
                return lines;
            }
            if (!p.isAlive() && p.exitValue() != 0 && !lines.isEmpty()) {
                return lines;
            }
            p.waitFor(20, TimeUnit.MILLISECONDS);
        }
        return Files.readAllLines(stdout, StandardCharsets.UTF_8);
    }

    Started start(Path db, String name) throws Exception {
        return start(name, "serve", "--db", db.toString(), "--port", "0");
    }

    Started start(String name, String... args) throws Exception {
        Path stdout = dir.resolve(name + "-stdout.txt");
        Path stderr = dir.resolve(name + "-stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.jobwatch.cli.Jobwatch")
                .directory(dir.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.command().addAll(List.of(args));
        pb.environment().remove("JOBWATCH_API_KEY");
        pb.environment().remove("SERVICENOW_URL");
        pb.environment().remove("JOBWATCH_SMTP_HOST");
        Process p = pb.start();
        List<String> banner = awaitLine(p, stdout, "Ctrl-C");
        assertThat(banner).as("banner; stderr: " + Files.readString(stderr)).anyMatch(l -> l.startsWith("Ctrl-C"));
        String serving = banner.stream().filter(l -> l.startsWith("Jobwatch is serving")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("serving (http://\\S+)").matcher(serving);
        assertThat(m.find()).as(serving).isTrue();
        return new Started(p, stdout, banner, URI.create(m.group(1)));
    }

    List<String> stop(Started s) throws Exception {
        s.process().destroy(); // SIGTERM
        assertThat(s.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        return Files.readAllLines(s.stdout(), StandardCharsets.UTF_8);
    }

    @Test
    void serve_printsTheGeneratedKeyOnce_servesEvents_andStopsCleanlyOnSigterm() throws Exception {
        Path db = dir.resolve("data/jobwatch.db");
        Started first = start(db, "first");
        Path keyFile = dir.resolve("data/jobwatch.api-key");
        String key = Files.readString(keyFile).trim();
        assertThat(first.banner()).anyMatch(l -> l.contains("API key (shown once") && l.endsWith(key));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        assertThat(http.send(HttpRequest.newBuilder(first.uri().resolve("/healthz")).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(first.uri().resolve("/events")).header("x-api-key", key)
                .POST(HttpRequest.BodyPublishers.ofFile(StoreFixtures.repo().resolve("examples/events/glue-job/failed.json"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).isEqualTo(200);
        assertThat(stop(first)).containsSubsequence("stopping: finishing requests in flight, closing the store", "stopped");

        // The store was closed cleanly: the run is there; a second start does not print the key again.
        try (SqliteRunStore store = new SqliteRunStore(db, Clock.systemUTC(), Duration.ofDays(7))) {
            assertThat(store.latestPerJob()).hasSize(1);
        }
        Started second = start(db, "second");
        assertThat(String.join("\n", second.banner())).doesNotContain(key).contains("API key:   in " + keyFile.toAbsolutePath());
        stop(second);
    }

    @Test
    void demoServe_reportsThenServesTheDashboardOnTheDemoDatabase() throws Exception {
        Started demo = start("demo", "demo", "--date", "2026-03-02", "--days", "1", "--out", dir.resolve("demo").toString(),
                "--serve", "--port", "0");
        assertThat(demo.banner()).anyMatch(l -> l.startsWith("Jobwatch demo: simulated 2026-03-02"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(demo.uri()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("data-system=\"ERP\"").contains("data-system=\"FinData\"").contains("data-system=\"Analytics\"");
        assertThat(stop(demo)).contains("stopped");
    }
}
