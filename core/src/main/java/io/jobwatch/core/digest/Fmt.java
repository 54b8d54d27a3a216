package io.jobwatch.core.digest;

import io.jobwatch.core.run.RunState;
import io.jobwatch.core.run.Text;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.OptionalDouble;

/** Formatting shared by the two renderers, so HTML and text say the same thing. */
final class Fmt {
    /** Error messages are cut in the digest; the full text is one click away in the console. */
    static final int MAX_ERROR_BYTES = 300;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("EEE d MMM HH:mm", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);

    private Fmt() {
    }

    /** "10:42" on the digest's day, "Mon 24 Nov 19:05" on another day, "?" when unknown. */
    static String time(Instant t, Digest d) {
        if (t == null) {
            return "?";
        }
        ZoneId zone = d.team().zone();
        ZonedDateTime z = t.atZone(zone);
        return z.toLocalDate().equals(d.window().to().atZone(zone).toLocalDate()) ? TIME.format(z) : DAY_TIME.format(z);
    }

    /**
     * "Tue 25 Nov 2026, 06:00–11:00 Europe/Berlin"; a window over several days names both ends in order:
     * "Fri 4 Dec 06:00 – Mon 7 Dec 2026 06:00 Europe/Lisbon".
     */
    static String window(Digest d) {
        ZoneId zone = d.team().zone();
        ZonedDateTime from = d.window().from().atZone(zone);
        ZonedDateTime to = d.window().to().atZone(zone);
        if (from.toLocalDate().equals(to.toLocalDate())) {
            return DAY.format(to) + ", " + TIME.format(from) + "\u2013" + TIME.format(to) + " " + zone.getId();
        }
        return DAY_TIME.format(from) + " \u2013 " + DAY.format(to) + " " + TIME.format(to) + " " + zone.getId();
    }

    /** "45s", "12m", "1h 05m", "2d 3h". */
    static String duration(Duration d) {
        if (d == null) {
            return "?";
        }
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 60) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 48) {
            return h + "h " + String.format(Locale.ROOT, "%02d", m % 60) + "m";
        }
        return (h / 24) + "d " + (h % 24) + "h";
    }

    static String percent(OptionalDouble rate) {
        return rate.isPresent() ? String.format(Locale.ROOT, "%.1f%%", rate.getAsDouble()) : "\u2013";
    }

    /** "▲ 1.2 pt", "▼ 0.8 pt", "= 0.0 pt", or "" without a comparison. */
    static String change(OptionalDouble pts) {
        if (pts.isEmpty()) {
            return "";
        }
        double v = pts.getAsDouble();
        String arrow = v > 0.05 ? "\u25B2" : v < -0.05 ? "\u25BC" : "=";
        return arrow + " " + String.format(Locale.ROOT, "%.1f", Math.abs(v)) + " pt";
    }

    static String state(RunState s) {
        return switch (s) {
            case TIMED_OUT -> "TIMED OUT";
            default -> s.name();
        };
    }

    /** The first line-ish part of an error, at most {@link #MAX_ERROR_BYTES} of UTF-8, with "…" when cut. */
    static String error(String error) {
        if (error == null || error.isBlank()) {
            return null;
        }
        String e = error.strip().replaceAll("\\s+", " ");
        String cut = Text.truncateUtf8(e, MAX_ERROR_BYTES);
        return cut.length() < e.length() ? cut + "\u2026" : cut;
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** "first failure" or "3 failures in a row". */
    static String streak(int n) {
        return n <= 1 ? "first failure" : n + " failures in a row";
    }

    static String system(String s) {
        return s == null || s.isBlank() ? "(no system)" : s;
    }
}
