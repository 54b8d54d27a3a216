package io.jobwatch.notify;

import io.jobwatch.core.digest.DigestBuilder;
import io.jobwatch.core.digest.DigestFixtures;
import io.jobwatch.core.digest.HtmlDigestRenderer;
import io.jobwatch.core.digest.JobView;
import io.jobwatch.core.digest.RunView;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.jobwatch.core.digest.DigestFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opens the HTML digest in headless Chromium at phone size (390×844, an iPhone 12–15 viewport). Chromium is
 * required, not optional: the build provides it (tools/provision) or stops with the command that installs it.
 */
class DigestPhoneRenderingTest {
    @TempDir
    Path tmp;

    @Test
    void htmlDigest_rendersAtPhoneWidth_withItsSectionsVisible() throws Exception {
        Path html = tmp.resolve("digest.html");
        Files.writeString(html, new HtmlDigestRenderer().render(DigestFixtures.digest()), StandardCharsets.UTF_8);
        Path png = Path.of("target", "digest-phone.png").toAbsolutePath();
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);

        Chromium chromium = Chromium.find(tmp);
        chromium.screenshot(html.toUri(), png, 390, 844);

        assertThat(png).exists();
        assertThat(Files.size(png)).isGreaterThan(5_000);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(390);
        assertThat(distinctColours(image)).as("a rendered page, not a blank screenshot").isGreaterThan(20);

        String dom = chromium.dumpDom(html.toUri());
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

        String dom = Chromium.find(tmp).dumpDom(html.toUri());

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
}
