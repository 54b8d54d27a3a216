package io.jobwatch.local;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;

/** Counters and gauges for {@code /metrics}, written in the Prometheus text exposition format. */
public final class Metrics {
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();

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
        return sb.toString();
    }

    private static String format(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
