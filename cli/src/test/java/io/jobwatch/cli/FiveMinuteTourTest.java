package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.testing.Chromium;
import io.jobwatch.core.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute tour as a newcomer takes it, in a fresh folder: {@code ./jobwatch demo}, then the
 * {@code serve} command the demo prints — typed into a real shell — then the dashboard and a team's digest in headless
 * Chromium. Its screenshots (cli/target/tour/*.png) are the README's pictures: {@code tools/screenshots} runs this test
 * with {@code -Djobwatch.screenshots=DIR} to copy them into docs/images.
 */
class FiveMinuteTourTest {
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private static final Pattern SERVING = Pattern.compile("^Jobwatch is serving (http://\\S+)");

    @TempDir
    Path dir;

    @Test
    void demo_printsTheServeCommandForItsStore_whichServesTheDemoWithItsCatalog_andTheDashboardAndADigestRender()
            throws Exception {
        writeLauncher();

        // 1. ./jobwatch demo, as the README shows it (default date and folder).
        Process demo = new ProcessBuilder("bash", "-c", "./jobwatch demo").directory(dir.toFile()).redirectErrorStream(true)
                .start();
        demo.getOutputStream().close();
        String report = new String(demo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(demo.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(demo.exitValue()).as(report).isZero();
        List<String> lines = report.lines().toList();
        int next = lines.indexOf("Next: the dashboard on this store (Ctrl-C stops it):");
        assertThat(next).as("the demo ends with its next step:%n%s", report).isEqualTo(lines.size() - 3);
        String command = lines.get(next + 1).strip();
        assertThat(command).isEqualTo("./jobwatch serve --db jobwatch-demo/jobwatch.db --config jobwatch-demo/jobwatch.yml");
        assertThat(lines.get(next + 2)).isEqualTo("  then open http://127.0.0.1:8080/");
        assertThat(dir.resolve("jobwatch-demo/jobwatch.yml")).hasContent(Files.readString(
                Fixtures.repoRoot().resolve("examples/jobwatch.yml"), StandardCharsets.UTF_8));

        // 2. That command, typed into a shell in the same folder (on a free port instead of 8080, which may be taken).
        Path stdout = dir.resolve("serve-stdout.txt");
        Process serve = new ProcessBuilder("bash", "-c", command + " --port 0").directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(dir.resolve("serve-stderr.txt").toFile()).start();
        try {
            List<String> banner = ServeCommandTest.awaitLine(serve, stdout, "Ctrl-C");
            assertThat(banner).as("serve banner; stderr: %s", Files.readString(dir.resolve("serve-stderr.txt")))
                    .contains("  store:     " + dir.resolve("jobwatch-demo/jobwatch.db").toRealPath(),
                            "  catalog:   jobwatch-demo/jobwatch.yml (reloaded on change)");
            URI uri = banner.stream().map(SERVING::matcher).filter(Matcher::find).map(m -> URI.create(m.group(1)))
                    .findFirst().orElseThrow();
            assertThat(uri.getHost()).isEqualTo("127.0.0.1");

            // Every simulated job, owned by the catalog's teams: the demo's store with the demo's catalog.
            JsonNode jobs = new ObjectMapper().readTree(get(uri.resolve("/api/jobs")));
            Set<String> teams = new HashSet<>();
            Set<String> systems = new HashSet<>();
            jobs.forEach(j -> {
                teams.add(j.get("team").asText());
                systems.add(j.get("system").asText());
            });
            assertThat(jobs.size()).isGreaterThan(490);
            // The three AWS accounts' systems, and the jobs outside AWS under their source's label.
            assertThat(systems).containsExactlyInAnyOrder("ERP", "FinData", "Analytics", "Pinged job", "OpenLineage job");
            assertThat(teams).containsExactlyInAnyOrder("erp-ops", "finance-close", "fin-data-eng", "analytics-eng",
                    "integration", "data-platform");

            // 3. The dashboard and a team's digest, as a browser shows them.
            Chromium chromium = Chromium.find(dir);
            String dom = chromium.dumpDom(uri);
            assertThat(dom).contains("<span id=\"job-count\">" + jobs.size() + "</span>", "data-system=\"FinData\"");
            Path shots = Path.of("target", "tour").toAbsolutePath();
            Path dashboard = shots.resolve("dashboard.png");
            chromium.screenshot(uri.resolve("/?state=failing"), dashboard, 1280, 860);
            assertRendered(dashboard, 1280);

            Path digestHtml = dir.resolve("jobwatch-demo/digests/finance-close.html");
            assertThat(chromium.dumpDom(digestHtml.toUri())).contains("FinData", "fin-close-reconciliation", "Summary");
            Path digest = shots.resolve("digest.png");
            chromium.screenshot(digestHtml.toUri(), digest, 680, 1150);
            assertRendered(digest, 680);

            String target = System.getProperty("jobwatch.screenshots");
            if (target != null && !target.isBlank()) {
                Path images = Fixtures.repoRoot().resolve(target);
                Files.createDirectories(images);
                Files.copy(dashboard, images.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(digest, images.resolve("digest.png"), StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            serve.destroy();
            serve.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(Files.readAllLines(stdout)).contains("stopped");
    }

    @Test
    void serveCommand_quotesPathsForTheShell_andNamesAPortOtherThanTheDefault() throws Exception {
        String command = DemoCommand.serveCommand("./jobwatch", Path.of("my demo/jobwatch.db"), Path.of("it's/jobwatch.yml"), 9090);
        assertThat(command).isEqualTo("./jobwatch serve --db 'my demo/jobwatch.db' --config 'it'\\''s/jobwatch.yml' --port 9090");

        // A shell gives the command back the words it was built from.
        Process p = new ProcessBuilder("bash", "-c", "printf '%s\\n' " + command).redirectErrorStream(true).start();
        List<String> words = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(words).containsExactly("./jobwatch", "serve", "--db", "my demo/jobwatch.db", "--config",
                "it's/jobwatch.yml", "--port", "9090");
        assertThat(DemoCommand.serveCommand("/opt/jobwatch/jobwatch", Path.of("d/jobwatch.db"), Path.of("c.yml"), 8080))
                .isEqualTo("/opt/jobwatch/jobwatch serve --db d/jobwatch.db --config c.yml");
    }

    /**
     * ./jobwatch in the tour's folder: the real launcher builds the jar first, which a test inside the build must not
     * do, so this one runs the CLI from the test's classpath and tells it how it was invoked, as the launcher does.
     */
    private void writeLauncher() throws Exception {
        Path launcher = dir.resolve("jobwatch");
        Files.writeString(launcher, "#!/usr/bin/env bash\nexport JOBWATCH_LAUNCHER=\"$0\"\nexec '" + JAVA + "' -cp '"
                + System.getProperty("java.class.path") + "' io.jobwatch.cli.Jobwatch \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static String get(URI uri) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s", uri).isEqualTo(200);
        return r.body();
    }

    /** A real page: the expected width, and many colours (a blank or error page has a handful). */
    private static void assertRendered(Path png, int width) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(width);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        assertThat(colours.size()).as("distinct colours in %s", png).isGreaterThan(50);
    }
}
