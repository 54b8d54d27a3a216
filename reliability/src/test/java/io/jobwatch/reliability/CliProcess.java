package io.jobwatch.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The {@code jobwatch} CLI as a real OS process (a separate JVM on this test's classpath, i.e. the freshly built
 * classes of every module), so a test can kill it with {@link Process#destroyForcibly()} (SIGKILL: no shutdown hooks,
 * no finally blocks) in the middle of its work. Output lines are collected as they come.
 */
final class CliProcess implements AutoCloseable {
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();

    private CliProcess(Process process) {
        this.process = process;
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    static CliProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.jobwatch.cli.Jobwatch"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SMTP_") || k.startsWith("SERVICENOW_")
                || k.startsWith("JOBWATCH_") || k.startsWith("AWS_"));
        pb.environment().putAll(env);
        return new CliProcess(pb.start());
    }

    /** Runs to the end (bounded) and returns the exit code. */
    int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("jobwatch did not finish within " + timeout + "; stderr: " + err);
        }
        return process.exitValue();
    }

    /** Waits (bounded) for an output line matching {@code p} on stdout or stderr; returns it. */
    String awaitLine(Predicate<String> p, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (List<String> src : List.of(out, err)) {
                    for (String l : src) {
                        if (p.test(l)) {
                            return l;
                        }
                    }
                }
                long left = end - System.nanoTime();
                if (left <= 0 || closedStreams == 2) {
                    throw new AssertionError((closedStreams == 2 ? "jobwatch ended" : "no such line within " + timeout)
                            + "; out: " + out + "; err: " + err);
                }
                lines.wait(Math.max(1, left / 1_000_000)); // woken by every new line
            }
        }
    }

    /** SIGKILL: the process gets no chance to finish anything. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private final Object lines = new Object();
    private int closedStreams;

    private void pump(InputStream in, List<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (lines) {
                        sink.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                sink.add("(output closed: " + e.getMessage() + ")");
            } finally {
                synchronized (lines) {
                    closedStreams++;
                    lines.notifyAll();
                }
            }
        }, "jobwatch-output");
        t.setDaemon(true);
        t.start();
    }
}
