package io.jobwatch.notify;

import io.jobwatch.core.digest.DigestBuilder;
import io.jobwatch.core.digest.DigestFixtures;
import io.jobwatch.core.digest.HtmlDigestRenderer;
import io.jobwatch.core.digest.JobView;
import io.jobwatch.core.digest.RunView;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.jobwatch.core.digest.DigestFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Opens the HTML digest in headless Chromium at phone size (390×844, an iPhone 12–15 viewport). Chromium is
 * required, not optional: .ci/run installs it; locally run {@code apt-get update && apt-get install -y chromium}.
 */
class DigestPhoneRenderingTest {
    private static final String INSTALL = "apt-get update && apt-get install -y chromium";

    @TempDir
    Path tmp;

    @Test
    void htmlDigest_rendersAtPhoneWidth_withItsSectionsVisible() throws Exception {
        Path html = tmp.resolve("digest.html");
        Files.writeString(html, new HtmlDigestRenderer().render(DigestFixtures.digest()), StandardCharsets.UTF_8);
        Path png = Path.of("target", "digest-phone.png").toAbsolutePath();
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);

        chromium(chromium(), "--window-size=390,844", "--hide-scrollbars", "--screenshot=" + png, html.toUri().toString());

        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(5_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(390);
        assertThat(distinctColours(image)).as("a rendered page, not a blank screenshot").isGreaterThan(20);

        String dom = chromium(chromium(), "--dump-dom", html.toUri().toString());
        assertThat(dom).contains("Still failing (1)", "fin-ledger-load", "INC0012345", "Running now (1)",
                "39 other jobs with nothing to report.");
    }

    @Test
    void hostileJobNamesAndErrors_doNotBecomeElementsInTheBrowser() throws Exception {
        String evil = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">";
        JobKey k = new JobKey(FIN_ACCOUNT, REGION, JobSource.GLUE_JOB, evil + " \uD83D\uDE80 \u05D3\u05D5\u05D7");
        RunView f = run("jr_1", RunState.FAILED, local(9, 0), local(9, 5), evil);
        List<JobView> views = new ArrayList<>(DigestFixtures.views());
        views.add(new JobView(k, "FinData", "high", f, f, RunState.FAILED, 2, null, null, List.of(f)));
        Path html = tmp.resolve("evil.html");
        Files.writeString(html, new HtmlDigestRenderer().render(
                new DigestBuilder(CLOCK).build(TEAM, WINDOW, PREVIOUS, views, Optional.empty(), false)), StandardCharsets.UTF_8);

        String dom = chromium(chromium(), "--dump-dom", html.toUri().toString());

        assertThat(dom).doesNotContain("<script").doesNotContain("<img").doesNotContain("pwned</title>")
                .contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;");
    }

    private static long distinctColours(BufferedImage image) {
        java.util.Set<Integer> colours = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    /** The chromium binary on PATH; fails (never skips) with the install command when it is missing. */
    private static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                File f = new File(dir, name);
                if (f.canExecute()) {
                    return f.getPath();
                }
            }
        }
        return fail("chromium is not installed (needed to check the HTML digest at phone width). Install it with: " + INSTALL);
    }

    private String chromium(String chromium, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(tmp, "chromium", ".out");
        Path err = Files.createTempFile(tmp, "chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 60 s: " + cmd + "\n" + Files.readString(err));
        }
        assertThat(p.exitValue()).as("chromium exit code; stderr:\n" + Files.readString(err)).isZero();
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
