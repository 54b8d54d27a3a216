package io.jobwatch.core.catalog;

import com.cronutils.model.definition.CronConstraintsFactory;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule in AWS schedule syntax (EventBridge / EventBridge Scheduler): {@code cron(min hour day-of-month month
 * day-of-week year)} with {@code ?}, {@code L}, {@code W}, {@code #}, or {@code rate(N minute|minutes|hour|hours|day|days)}.
 *
 * <p>Cron expressions are evaluated in a time zone the way EventBridge Scheduler does across daylight saving changes: a
 * local time that does not exist (spring forward) is skipped, and a local time that happens twice (fall back) counts
 * once, at its first occurrence.
 */
public sealed interface Schedule permits Schedule.Cron, Schedule.Rate {

    /** The expression as written, e.g. {@code cron(30 5 * * ? *)} or {@code rate(4 hours)}. */
    String expression();

    /**
     * The next expected start strictly after {@code after}. For a cron schedule, the next firing in {@code zone} (empty
     * when the expression never fires again, e.g. its years are past). For a rate schedule, {@code after + period}: pass
     * the start of the last run to get when the next one is due.
     */
    Optional<Instant> nextAfter(Instant after, ZoneId zone);

    /**
     * Parses an AWS schedule expression.
     *
     * @throws IllegalArgumentException with what is wrong and how to write it instead
     */
    static Schedule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty schedule; write cron(min hour day-of-month month day-of-week year)"
                    + " or rate(N minutes|hours|days)");
        }
        String t = text.strip();
        if (t.startsWith("cron(") && t.endsWith(")")) {
            return Cron.parseCron(t);
        }
        if (t.startsWith("rate(") && t.endsWith(")")) {
            return Rate.parseRate(t);
        }
        String fields = t.split("\\s+").length >= 5 ? " (wrap the fields: cron(" + t + "))" : "";
        throw new IllegalArgumentException("'" + t + "' is not an AWS schedule expression" + fields
                + "; write cron(min hour day-of-month month day-of-week year), e.g. cron(0 6 * * ? *), or rate(N unit),"
                + " e.g. rate(4 hours)");
    }

    /** {@code cron(…)}: six fields, minute precision, evaluated in a zone. */
    final class Cron implements Schedule {
        /** AWS flavour: Quartz without the seconds field, the year required (1970–2199). */
        private static final CronDefinition AWS = CronDefinitionBuilder.defineCron()
                .withMinutes().withValidRange(0, 59).and()
                .withHours().withValidRange(0, 23).and()
                .withDayOfMonth().withValidRange(1, 31).supportsL().supportsW().supportsLW().supportsQuestionMark().and()
                .withMonth().withValidRange(1, 12).and()
                .withDayOfWeek().withValidRange(1, 7).withMondayDoWValue(2).supportsHash().supportsL()
                .supportsQuestionMark().and()
                .withYear().withValidRange(1970, 2199).and()
                .withCronValidation(CronConstraintsFactory.ensureEitherDayOfWeekOrDayOfMonth())
                .instance();
        private static final CronParser PARSER = new CronParser(AWS);
        /** Searching past a year of skipped (non-existent) local times means something is wrong; stop there. */
        private static final int MAX_STEPS = 1_000;

        private final String expression;
        private final ExecutionTime execution;

        private Cron(String expression, ExecutionTime execution) {
            this.expression = expression;
            this.execution = execution;
        }

        static Cron parseCron(String text) {
            String inner = text.substring("cron(".length(), text.length() - 1).strip();
            String[] f = inner.isEmpty() ? new String[0] : inner.split("\\s+");
            if (f.length != 6) {
                String hint = switch (f.length) {
                    case 7 -> "; AWS cron has no seconds field: drop the first one";
                    case 5 -> "; add the year field (usually *) and put ? in day-of-month or day-of-week, e.g. cron("
                            + String.join(" ", f[0], f[1], f[2].equals("*") && !f[4].equals("*") ? "?" : f[2], f[3],
                            f[2].equals("*") && !f[4].equals("*") ? f[4] : "?", "*") + ")";
                    default -> "";
                };
                throw new IllegalArgumentException("invalid cron expression '" + text + "': AWS cron has 6 fields"
                        + " (minutes hours day-of-month month day-of-week year), found " + f.length + hint);
            }
            boolean domAny = f[2].equals("?");
            boolean dowAny = f[4].equals("?");
            if (domAny == dowAny) {
                throw new IllegalArgumentException("invalid cron expression '" + text + "': use ? in exactly one of"
                        + " day-of-month and day-of-week (" + (domAny ? "both are ?" : "neither is ?")
                        + "), e.g. cron(" + f[0] + " " + f[1] + " * " + f[3] + " ? " + f[5] + ") for every day");
            }
            try {
                com.cronutils.model.Cron cron = PARSER.parse(String.join(" ", f).toUpperCase(Locale.ROOT));
                cron.validate();
                return new Cron(text, ExecutionTime.forCron(cron));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid cron expression '" + text + "': " + e.getMessage());
            }
        }

        @Override
        public String expression() {
            return expression;
        }

        @Override
        public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
            // cron-utils walks wall-clock time (as if UTC, no DST); each local candidate is then placed in the zone.
            ZonedDateTime cursor = LocalDateTime.ofInstant(after, zone).atZone(ZoneOffset.UTC);
            for (int i = 0; i < MAX_STEPS; i++) {
                Optional<ZonedDateTime> next = execution.nextExecution(cursor);
                if (next.isEmpty()) {
                    return Optional.empty();
                }
                cursor = next.get();
                Optional<Instant> at = firstOccurrence(cursor.toLocalDateTime(), zone);
                if (at.isPresent() && at.get().isAfter(after)) {
                    return at;
                }
            }
            return Optional.empty();
        }

        /** The latest expected start at or before {@code at} in {@code zone}; empty if the expression never fired before. */
        public Optional<Instant> previousAtOrBefore(Instant at, ZoneId zone) {
            ZonedDateTime cursor = LocalDateTime.ofInstant(at, zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1)
                    .atZone(ZoneOffset.UTC);
            Instant candidate = null;
            for (int i = 0; i < MAX_STEPS && candidate == null; i++) {
                Optional<ZonedDateTime> last = execution.lastExecution(cursor);
                if (last.isEmpty()) {
                    return Optional.empty();
                }
                cursor = last.get();
                Optional<Instant> t = firstOccurrence(cursor.toLocalDateTime(), zone);
                if (t.isPresent() && !t.get().isAfter(at)) {
                    candidate = t.get();
                }
            }
            if (candidate == null) {
                return Optional.empty();
            }
            // In a repeated (fall-back) hour the local search can land on an earlier first occurrence: walk forward.
            for (int i = 0; i < MAX_STEPS; i++) {
                Optional<Instant> next = nextAfter(candidate, zone);
                if (next.isEmpty() || next.get().isAfter(at)) {
                    break;
                }
                candidate = next.get();
            }
            return Optional.of(candidate);
        }

        private static Optional<Instant> firstOccurrence(LocalDateTime local, ZoneId zone) {
            List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
            Instant first = null;
            for (ZoneOffset o : offsets) {
                Instant t = local.toInstant(o);
                if (first == null || t.isBefore(first)) {
                    first = t;
                }
            }
            return Optional.ofNullable(first);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cron c && c.expression.equals(expression);
        }

        @Override
        public int hashCode() {
            return expression.hashCode();
        }

        @Override
        public String toString() {
            return expression;
        }
    }

    /** {@code rate(N unit)}: a run is due every {@code period}, counted from the previous run. */
    record Rate(String expression, Duration period) implements Schedule {
        private static final Pattern RATE = Pattern.compile("rate\\(\\s*(\\S+)\\s+(\\S+)\\s*\\)");

        public Rate {
            Objects.requireNonNull(expression, "expression");
            Objects.requireNonNull(period, "period");
        }

        static Rate parseRate(String text) {
            Matcher m = RATE.matcher(text);
            if (!m.matches()) {
                throw new IllegalArgumentException("invalid rate expression '" + text + "': write rate(N unit) with unit"
                        + " minute(s), hour(s) or day(s), e.g. rate(15 minutes)");
            }
            long n;
            try {
                n = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n <= 0) {
                throw new IllegalArgumentException("invalid rate expression '" + text + "': the value must be a positive"
                        + " whole number, e.g. rate(15 minutes)");
            }
            String unit = m.group(2);
            Duration one = switch (unit) {
                case "minute", "minutes" -> Duration.ofMinutes(1);
                case "hour", "hours" -> Duration.ofHours(1);
                case "day", "days" -> Duration.ofDays(1);
                default -> null;
            };
            if (one == null) {
                throw new IllegalArgumentException("invalid rate expression '" + text + "': unknown unit '" + unit
                        + "'; use minute(s), hour(s) or day(s)");
            }
            boolean plural = unit.endsWith("s");
            if (n == 1 && plural || n > 1 && !plural) {
                String fixed = n == 1 ? unit.substring(0, unit.length() - 1) : unit + "s";
                throw new IllegalArgumentException("invalid rate expression '" + text + "': AWS wants the "
                        + (n == 1 ? "singular" : "plural") + " unit here: rate(" + n + " " + fixed + ")");
            }
            return new Rate(text, one.multipliedBy(n));
        }

        @Override
        public Optional<Instant> nextAfter(Instant after, ZoneId zone) {
            return Optional.of(after.plus(period));
        }

        @Override
        public String toString() {
            return expression;
        }
    }
}
