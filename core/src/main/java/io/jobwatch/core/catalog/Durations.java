package io.jobwatch.core.catalog;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one duration syntax of Jobwatch (catalog, CLI): compact {@code 90m}, {@code 2h}, {@code 1h30m}, {@code 45s},
 * {@code 7d}, {@code 1d12h} or ISO-8601 {@code PT2H}, {@code P7D}. Days are 24 hours. Negative durations are rejected.
 */
public final class Durations {
    private static final Pattern COMPACT = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");

    private Durations() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException naming what is wrong and showing valid forms
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration; write e.g. 90m, 2h, 1h30m, 45s, 7d or PT2H");
        }
        String t = text.strip();
        if (t.startsWith("P") || t.startsWith("p")) {
            try {
                Duration d = Duration.parse(t.toUpperCase(java.util.Locale.ROOT));
                if (d.isNegative()) {
                    throw new IllegalArgumentException("negative duration '" + text + "'");
                }
                return d;
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 duration (e.g. PT2H, PT90M, P7D)");
            }
        }
        if (t.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' has no unit; write " + t + "m, " + t + "s or " + t + "h");
        }
        Matcher m = COMPACT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 90m, 2h, 1h30m, 45s, 7d or PT2H"
                    + " (units d, h, m, s, largest first)");
        }
        try {
            Duration d = Duration.ZERO;
            if (m.group(1) != null) {
                d = d.plusDays(Long.parseLong(m.group(1)));
            }
            if (m.group(2) != null) {
                d = d.plusHours(Long.parseLong(m.group(2)));
            }
            if (m.group(3) != null) {
                d = d.plusMinutes(Long.parseLong(m.group(3)));
            }
            if (m.group(4) != null) {
                d = d.plusSeconds(Long.parseLong(m.group(4)));
            }
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large a duration");
        }
    }

    /** Compact form, largest units first: {@code 1h30m}, {@code 7d}, {@code 45s}, {@code 0s}. Sub-second parts are dropped. */
    public static String format(Duration d) {
        long s = d.getSeconds();
        if (s == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        if (s < 0) {
            b.append('-');
            s = -s;
        }
        long days = s / 86_400;
        long hours = s % 86_400 / 3600;
        long minutes = s % 3600 / 60;
        long seconds = s % 60;
        if (days > 0) {
            b.append(days).append('d');
        }
        if (hours > 0) {
            b.append(hours).append('h');
        }
        if (minutes > 0) {
            b.append(minutes).append('m');
        }
        if (seconds > 0) {
            b.append(seconds).append('s');
        }
        return b.toString();
    }
}
