package io.jobwatch.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds and runs the infra module's jar ({@code infra/target/jobwatch-infra.jar} + {@code infra/target/lib/}) as a
 * child process, so the ~110 MB of CDK jars stay out of the CLI jar that demo and serve use.
 */
final class InfraLauncher {

    static final String INFRA_JAR = "infra/target/jobwatch-infra.jar";
    /** Context keys whose values are file paths: made absolute, because the child runs in the repository root. */
    private static final Set<String> PATH_KEYS = Set.of("catalog", "lambdaJar");
    /** What the infra jar is built from (core: the event pattern comes from the normalizers). */
    private static final List<String> SOURCES = List.of("infra/src/main", "infra/pom.xml", "core/src/main", "pom.xml");

    private final Path root;

    InfraLauncher(Path root) {
        this.root = root;
    }

    /**
     * The repository root: the first directory holding {@code infra/pom.xml} and {@code mvnw}, looking above the
     * working directory and then above the running jar (cli/target/jobwatch.jar → the repository).
     */
    static Path findRepoRoot(Path workingDir, Optional<Path> jar) {
        List<Path> starts = new ArrayList<>();
        starts.add(workingDir);
        jar.ifPresent(starts::add);
        for (Path start : starts) {
            for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
                if (Files.isRegularFile(p.resolve("infra/pom.xml")) && Files.isRegularFile(p.resolve("mvnw"))) {
                    return p;
                }
            }
        }
        throw new IllegalStateException("cannot find the Jobwatch repository (a directory with infra/pom.xml and mvnw)"
                + " above " + workingDir + jar.map(j -> " or " + j).orElse("")
                + ": run jobwatch aws synth from a checkout of the repository");
    }

    /** Where the running CLI's classes come from (the jar, or target/classes in tests). */
    static Optional<Path> jarLocation() {
        try {
            return Optional.of(Path.of(InfraLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return Optional.empty();
        }
    }

    Path jar() {
        return root.resolve(INFRA_JAR);
    }

    /** True when the infra jar or its copied dependencies are missing, or any source file is newer than the jar. */
    boolean stale() {
        Path jar = jar();
        if (!Files.isRegularFile(jar) || !Files.isDirectory(root.resolve("infra/target/lib"))) {
            return true;
        }
        try {
            FileTime built = Files.getLastModifiedTime(jar);
            for (String source : SOURCES) {
                Path s = root.resolve(source);
                if (!Files.exists(s)) {
                    continue;
                }
                try (Stream<Path> files = Files.walk(s)) {
                    if (files.filter(Files::isRegularFile).anyMatch(f -> newer(f, built))) {
                        return true;
                    }
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check whether " + jar + " is up to date: " + e.getMessage(), e);
        }
    }

    private static boolean newer(Path f, FileTime than) {
        try {
            return Files.getLastModifiedTime(f).compareTo(than) > 0;
        } catch (IOException e) {
            return true;
        }
    }

    List<String> buildCommand() {
        return List.of(root.resolve("mvnw").toString(), "-q", "-B", "-pl", "infra", "-am", "package", "-DskipTests");
    }

    List<String> synthCommand(Path out, List<String> context, boolean placeholderCode) {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), "-jar", jar().toString(),
                "--out", out.toAbsolutePath().toString()));
        for (String c : context) {
            int eq = c.indexOf('=');
            String value = c;
            if (eq > 0 && PATH_KEYS.contains(c.substring(0, eq)) && eq + 1 < c.length()) {
                value = c.substring(0, eq + 1) + Path.of(c.substring(eq + 1)).toAbsolutePath();
            }
            cmd.add("--context");
            cmd.add(value);
        }
        if (placeholderCode) {
            cmd.add("--placeholder-code");
        }
        return cmd;
    }

    /** Builds the infra jar when stale, then synthesizes; returns the exit code of the failing or last step. */
    int synth(Path out, List<String> context, boolean placeholderCode, PrintWriter stdout, PrintWriter stderr)
            throws IOException, InterruptedException {
        if (stale()) {
            stderr.println("jobwatch: building the infra module (first run or sources changed)…");
            stderr.flush();
            int built = run(buildCommand(), stdout, stderr);
            if (built != 0) {
                stderr.println("jobwatch: building the infra module failed (exit " + built + ", see above)");
                return built;
            }
        }
        return run(synthCommand(out, context, placeholderCode), stdout, stderr);
    }

    /** Runs a command in the repository root, streaming its stdout and stderr line by line; returns its exit code. */
    int run(List<String> command, PrintWriter stdout, PrintWriter stderr) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                .redirectInput(ProcessBuilder.Redirect.INHERIT);
        // CDK-internal deprecation notices (not about this app's code) would bury the findings that matter.
        pb.environment().putIfAbsent("JSII_DEPRECATED", "quiet");
        Process p = pb.start();
        Thread errPump = new Thread(() -> pump(p.getErrorStream(), stderr), "infra-stderr");
        errPump.start();
        pump(p.getInputStream(), stdout);
        int code = p.waitFor();
        errPump.join();
        return code;
    }

    private static void pump(InputStream in, PrintWriter to) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                synchronized (to) {
                    to.println(line);
                    to.flush();
                }
            }
        } catch (IOException e) {
            synchronized (to) {
                to.println("jobwatch: lost output of the infra process: " + e.getMessage());
            }
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
