package io.jobwatch.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Timing and memory helpers: median of measured runs after warm-up, peak RSS, load average. */
final class Measure {
    private Measure() {
    }

    interface Task {
        void run() throws Exception;
    }

    /** Milliseconds of each measured run, after {@code warmups} unmeasured ones. */
    static double[] millis(int warmups, int runs, Task before, Task task) {
        try {
            for (int i = 0; i < warmups; i++) {
                before.run();
                task.run();
            }
            double[] ms = new double[runs];
            for (int i = 0; i < runs; i++) {
                before.run();
                long t0 = System.nanoTime();
                task.run();
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
            return ms;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double median(double[] v) {
        return Bench.median(v);
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** Resets the process's peak RSS (Linux: writing 5 to /proc/self/clear_refs resets VmHWM). */
    static void resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | UnsupportedOperationException | SecurityException ignored) {
            // not Linux: the peak is then the process's lifetime peak
        }
    }

    /** VmHWM (peak resident set) in bytes, or -1 where /proc is missing. */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException ignored) {
            // not Linux
        }
        return -1;
    }
}
