package io.jobwatch.core.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The per-run suffix some services' job names carry (a Batch {@code cpu-stress-test-1760707292}, an EMR Serverless
 * {@code <epoch-ms>-<uuid>} run name): a separator ({@code -}, {@code _} or {@code .}) and a token that is new on every
 * run — a 10–13 digit epoch time, a UUID, 8 or more hex digits with at least one digit (so that a word such as
 * {@code deadbeef} stays), or a date/time stamp ({@code 20260322}, {@code 2026-03-22}, {@code 20260322_030716},
 * {@code 2026-03-22T03-07-16Z}). Tokens are stripped from the end one at a time until none is left, so
 * {@code etl-20260322-a1b2c3d4} is {@code etl}. The one rule every source with such names uses.
 */
public final class PerRunSuffix {
    private static final String UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final String EPOCH = "\\d{10,13}";
    private static final String STAMP = "\\d{4}-?\\d{2}-?\\d{2}(?:[T_-]?\\d{2}[-:.]?\\d{2}(?:[-:.]?\\d{2}(?:\\.\\d{1,9})?)?Z?)?";
    private static final String HEX = "(?=[0-9a-fA-F]*\\d)[0-9a-fA-F]{8,}";
    private static final Pattern TOKEN = Pattern.compile("(?:" + UUID + "|" + STAMP + "|" + EPOCH + "|" + HEX + ")");
    /** The shortest stem: the longest run of tokens at the end is found by stripping one at a time. */
    private static final Pattern ONE = Pattern.compile("^(.+?)([-_.]+)(" + TOKEN.pattern() + ")$");

    private PerRunSuffix() {
    }

    /**
     * A name split at its per-run suffix.
     *
     * @param stem   what stays: the stable name
     * @param suffix what was stripped, separators included, e.g. {@code -1760707292}
     * @param kinds  what the stripped tokens are, in the order they appear ("an epoch time", "a UUID" …)
     */
    public record Split(String stem, String suffix, List<String> kinds) {
        /** "an epoch time", or "a date/time stamp and hex digits". */
        public String describe() {
            return String.join(" and ", kinds);
        }
    }

    /** The name's per-run suffix split off, or empty when the name ends in none (or consists of nothing else). */
    public static Optional<Split> split(String name) {
        String stem = name;
        StringBuilder suffix = new StringBuilder();
        List<String> kinds = new ArrayList<>();
        for (Matcher m = ONE.matcher(stem); m.matches(); m = ONE.matcher(stem)) {
            suffix.insert(0, m.group(2) + m.group(3));
            kinds.add(0, kindOf(m.group(3)));
            stem = m.group(1);
        }
        return kinds.isEmpty() ? Optional.empty() : Optional.of(new Split(stem, suffix.toString(), List.copyOf(kinds)));
    }

    /** Whether the whole text is one per-run token (a name made only of one: nothing stable in it). */
    public static boolean isToken(String text) {
        return TOKEN.matcher(text).matches();
    }

    private static String kindOf(String token) {
        if (token.matches(UUID)) {
            return "a UUID";
        }
        if (token.matches(EPOCH)) {
            return "an epoch time";
        }
        if (token.matches(STAMP) && plausibleDate(token)) {
            return "a date/time stamp";
        }
        return "hex digits";
    }

    private static boolean plausibleDate(String token) {
        String digits = token.replaceAll("[^0-9]", "");
        if (digits.length() < 8) {
            return false;
        }
        int month = Integer.parseInt(digits.substring(4, 6));
        int day = Integer.parseInt(digits.substring(6, 8));
        return month >= 1 && month <= 12 && day >= 1 && day <= 31;
    }
}
