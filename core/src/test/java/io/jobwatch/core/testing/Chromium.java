package io.jobwatch.core.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium as a subprocess, for the rendering tests: the DOM after scripts ran, or a screenshot. The browser
 * is {@code JOBWATCH_CHROMIUM}, else chromium/chromium-browser on the PATH; when there is none, {@code tools/provision
 * chromium} (the script the build runs before these tests) installs it or says which command does, and the test fails
 * with that line — never skipped.
 */
public final class Chromium {
    private static final long TIMEOUT_SECONDS = 90;

    private final String binary;
    private final Path profiles;

    private Chromium(String binary, Path profiles) {
        this.binary = binary;
        this.profiles = profiles;
    }

    /** A browser whose profiles and output go under {@code workDir} (a test's temp folder). */
    public static Chromium find(Path workDir) {
        return new Chromium(binary(), workDir);
    }

    /** The browser binary, provided by tools/provision when missing. */
    public static String binary() {
        return locate(System.getenv(), Fixtures.repoRoot());
    }

    static String locate(Map<String, String> env, Path repo) {
        String explicit = env.get("JOBWATCH_CHROMIUM");
        if (explicit == null || explicit.isBlank()) {
            for (String dir : env.getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                for (String name : List.of("chromium", "chromium-browser")) {
                    Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                    if (Files.isExecutable(p)) {
                        return p.toString();
                    }
                }
            }
        }
        return provision(repo);
    }

    /** Runs tools/provision --print chromium: the browser's path, or an AssertionError with the line saying why not. */
    private static String provision(Path repo) {
        try {
            Path out = Files.createTempFile("provision-", ".out");
            Path err = Files.createTempFile("provision-", ".err");
            try {
                Process p = new ProcessBuilder("bash", repo.resolve("tools/provision").toString(), "--print", "chromium")
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(20, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    throw new AssertionError("tools/provision chromium did not finish within 20 minutes");
                }
                String path = Files.readString(out).strip();
                if (p.exitValue() != 0 || path.isEmpty()) {
                    throw new AssertionError(Files.readString(err).strip());
                }
                return path.lines().reduce((a, b) -> b).orElseThrow();
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run tools/provision chromium: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while providing chromium", e);
        }
    }

    /** The page's DOM after its scripts ran, at the default window size (1280×900). */
    public String dumpDom(URI url) throws IOException, InterruptedException {
        return run(List.of("--dump-dom", url.toString()));
    }

    /** A screenshot of the page at 1280×900. */
    public void screenshot(URI url, Path png) throws IOException, InterruptedException {
        screenshot(url, png, 1280, 900);
    }

    /** A screenshot of the page in a window of {@code width}×{@code height} CSS pixels; fails when none was written. */
    public void screenshot(URI url, Path png, int width, int height) throws IOException, InterruptedException {
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.deleteIfExists(png);
        run(List.of("--window-size=" + width + "," + height, "--hide-scrollbars", "--screenshot=" + png.toAbsolutePath(),
                url.toString()));
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new AssertionError("chromium wrote no screenshot at " + png);
        }
    }

    /** Runs the browser headless with a fresh profile and {@code args}; returns its standard output. */
    public String run(List<String> args) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(profiles, "chromium-");
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile));
        if (args.stream().noneMatch(a -> a.startsWith("--window-size="))) {
            cmd.add("--window-size=1280,900");
        }
        cmd.addAll(args);
        Path stdout = profile.resolve("stdout.txt");
        Path stderr = profile.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish within " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("chromium exited " + p.exitValue() + ": " + Files.readString(stderr, StandardCharsets.UTF_8));
        }
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
