package io.jobwatch.local;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Headless Debian Chromium as a subprocess: the DOM after scripts ran, or a screenshot. Missing → the test fails. */
final class Chromium {
    private final String binary;
    private final Path profiles;

    private Chromium(String binary, Path profiles) {
        this.binary = binary;
        this.profiles = profiles;
    }

    static Chromium find(Path tmp) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, "chromium");
            if (Files.isExecutable(p)) {
                return new Chromium(p.toString(), tmp);
            }
        }
        if (Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            return new Chromium("/usr/bin/chromium", tmp);
        }
        return fail("chromium is not installed; the dashboard tests need it: sudo apt-get install -y chromium (.ci/run installs it)");
    }

    String dumpDom(URI url) throws Exception {
        return run(List.of("--dump-dom", url.toString()));
    }

    void screenshot(URI url, Path png) throws Exception {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(List.of("--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(), url.toString()));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            fail("chromium wrote no screenshot at " + png);
        }
    }

    private String run(List<String> args) throws Exception {
        Path profile = Files.createTempDirectory(profiles, "chromium-");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile, "--window-size=1280,900"));
        cmd.addAll(args);
        Path stdout = profile.resolve("stdout.txt");
        Path stderr = profile.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 90 s: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            fail("chromium exited " + p.exitValue() + ": " + read(stderr));
        }
        return read(stdout);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
