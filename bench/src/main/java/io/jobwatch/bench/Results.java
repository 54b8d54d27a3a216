package io.jobwatch.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a side-by-side run produced: the figures (each with its baseline where there is one), the counted numbers the
 * cost model uses, and the request-count invariants with their violations.
 */
final class Results {
    /**
     * One figure.
     *
     * @param key            stable id (tests look figures up by it)
     * @param name           what was measured
     * @param jobwatch       Jobwatch's value
     * @param baseline       the seed baseline's value, or null when the seed has no counterpart
     * @param unit           unit printed after the values
     * @param higherIsBetter true for rates, false for times, units and bytes
     * @param goal           the goal, or ""
     * @param note           how it was measured (runs, min/max, load average, what was sampled)
     */
    record Figure(String key, String name, double jobwatch, Double baseline, String unit, boolean higherIsBetter,
                  String goal, String note) {
        /** How many times better Jobwatch is than the baseline (> 1 = better), or NaN without a baseline. */
        double ratio() {
            if (baseline == null || baseline == 0 || jobwatch == 0) {
                return Double.NaN;
            }
            return higherIsBetter ? jobwatch / baseline : baseline / jobwatch;
        }
    }

    /** A request-count invariant: how many events it applied to and how many broke it (first example kept). */
    record Invariant(String name, long checked, long violations, String example) {
        boolean holds() {
            return violations == 0;
        }
    }

    final List<Figure> figures = new ArrayList<>();
    final Map<String, Double> counts = new LinkedHashMap<>();
    final List<Invariant> invariants = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    void add(Figure f) {
        figures.add(f);
    }

    Figure figure(String key) {
        return figures.stream().filter(f -> f.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no figure " + key));
    }

    double count(String key) {
        Double v = counts.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no count " + key + " (have " + counts.keySet() + ")");
        }
        return v;
    }

    /** The figures as a Markdown table. */
    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append("| figure | Jobwatch | seed baseline | ratio | goal | note |\n|---|---|---|---|---|---|\n");
        for (Figure f : figures) {
            double r = f.ratio();
            sb.append("| ").append(f.name()).append(" | ").append(fmt(f.jobwatch())).append(' ').append(f.unit())
                    .append(" | ").append(f.baseline() == null ? "–" : fmt(f.baseline()) + " " + f.unit())
                    .append(" | ").append(Double.isNaN(r) ? "–" : String.format("%.1f× %s", r, r >= 1 ? "better" : "worse"))
                    .append(" | ").append(f.goal()).append(" | ").append(f.note()).append(" |\n");
        }
        return sb.toString();
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) >= 1) {
            return String.format("%,.0f", v);
        }
        if (Math.abs(v) >= 100) {
            return String.format("%,.0f", v);
        }
        if (Math.abs(v) >= 1) {
            return String.format("%,.2f", v);
        }
        return String.format("%.3f", v);
    }
}
