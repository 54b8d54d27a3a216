package io.jobwatch.local;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/** Counters, gauges and histograms for {@code /metrics}, written in the Prometheus text exposition format. */
public final class Metrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();

    /** Cumulative buckets (upper bounds, ascending) with a count and a sum, as Prometheus histograms are. */
    private static final class Histogram {
        final double[] bounds;
        final long[] counts;
        long count;
        double sum;

        Histogram(double[] bounds) {
            this.bounds = bounds.clone();
            this.counts = new long[bounds.length];
        }

        synchronized void observe(double v) {
            for (int i = 0; i < bounds.length; i++) {
                if (v <= bounds[i]) {
                    counts[i]++;
                }
            }
            count++;
            sum += v;
        }

        synchronized void render(String name, StringBuilder sb) {
            for (int i = 0; i < bounds.length; i++) {
                sb.append(name).append("_bucket{le=\"").append(format(bounds[i])).append("\"} ").append(counts[i])
                        .append('\n');
            }
            sb.append(name).append("_bucket{le=\"+Inf\"} ").append(count).append('\n');
            sb.append(name).append("_sum ").append(format(sum)).append('\n');
            sb.append(name).append("_count ").append(count).append('\n');
        }
    }

    /** A histogram with these bucket upper bounds (ascending); observing an undeclared one fails. */
    public void histogram(String name, double... bounds) {
        for (int i = 1; i < bounds.length; i++) {
            if (bounds[i] <= bounds[i - 1]) {
                throw new IllegalArgumentException("bucket bounds must ascend: " + java.util.Arrays.toString(bounds));
            }
        }
        histograms.putIfAbsent(name, new Histogram(bounds));
    }

    public void observe(String name, double value) {
        Histogram h = histograms.get(name);
        if (h == null) {
            throw new IllegalArgumentException("no histogram " + name + " was declared");
        }
        h.observe(value);
    }

    /** A counter; {@code name} may carry labels, e.g. {@code jobwatch_events_total{outcome="created"}}. */
    public void inc(String name, long by) {
        counters.computeIfAbsent(name, k -> new LongAdder()).add(by);
    }

    public void gauge(String name, DoubleSupplier value) {
        gauges.put(name, value);
    }

    public void describe(String family, String text) {
        help.put(family, text);
    }

    public long count(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    public String render() {
        Map<String, String> lines = new TreeMap<>();
        counters.forEach((k, v) -> lines.put(k, Long.toString(v.sum())));
        gauges.forEach((k, v) -> lines.put(k, format(v.getAsDouble())));
        StringBuilder sb = new StringBuilder();
        String lastFamily = null;
        for (Map.Entry<String, String> e : lines.entrySet()) {
            String family = e.getKey().contains("{") ? e.getKey().substring(0, e.getKey().indexOf('{')) : e.getKey();
            if (!family.equals(lastFamily)) {
                if (help.containsKey(family)) {
                    sb.append("# HELP ").append(family).append(' ').append(help.get(family)).append('\n');
                }
                sb.append("# TYPE ").append(family).append(' ')
                        .append(gauges.keySet().stream().anyMatch(g -> g.startsWith(family)) ? "gauge" : "counter").append('\n');
                lastFamily = family;
            }
            sb.append(e.getKey()).append(' ').append(e.getValue()).append('\n');
        }
        new TreeMap<>(histograms).forEach((name, h) -> {
            if (help.containsKey(name)) {
                sb.append("# HELP ").append(name).append(' ').append(help.get(name)).append('\n');
            }
            sb.append("# TYPE ").append(name).append(" histogram\n");
            h.render(name, sb);
        });
        return sb.toString();
    }

    private static String format(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
