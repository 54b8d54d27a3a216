package io.jobwatch.core.digest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * When a team gets its digest: times of day in the team's time zone. Each digest covers the window since the
 * previous scheduled time ("since the last digest"), so 06:00/11:00/15:00/19:00 gives windows 19:00→06:00,
 * 06:00→11:00, 11:00→15:00 and 15:00→19:00.
 *
 * <p>Times are evaluated in local time and converted to instants per day, so a window across a DST change is
 * simply one hour shorter or longer. A time that does not exist on a spring-forward day (02:30 in a 02:00→03:00
 * gap) moves forward by the gap, like {@link ZonedDateTime#of}; a time that exists twice on a fall-back day fires
 * once, at its first (earlier-offset) occurrence.
 *
 * @param zone  the team's time zone
 * @param times times of day, at least one, no duplicates (stored sorted)
 */
public record DigestSchedule(ZoneId zone, List<LocalTime> times) {
    /** 06:00, 11:00, 15:00, 19:00: before work, late morning, afternoon, evening. */
    public static final List<LocalTime> DEFAULT_TIMES =
            List.of(LocalTime.of(6, 0), LocalTime.of(11, 0), LocalTime.of(15, 0), LocalTime.of(19, 0));

    public DigestSchedule {
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(times, "times");
        if (times.isEmpty()) {
            throw new IllegalArgumentException("a digest schedule needs at least one time of day, e.g. 06:00,11:00,15:00,19:00");
        }
        TreeSet<LocalTime> sorted = new TreeSet<>(times);
        if (sorted.size() != times.size()) {
            throw new IllegalArgumentException("digest times must not repeat: " + times);
        }
        times = List.copyOf(sorted);
    }

    public static DigestSchedule defaults(ZoneId zone) {
        return new DigestSchedule(zone, DEFAULT_TIMES);
    }

    /**
     * Parses times written as in the catalog, "06:00, 11:00, 15:00,19:00".
     *
     * @throws IllegalArgumentException naming the bad entry and the expected form
     */
    public static DigestSchedule parse(ZoneId zone, String times) {
        List<LocalTime> parsed = new ArrayList<>();
        for (String part : times.split(",")) {
            String p = part.trim();
            try {
                parsed.add(LocalTime.parse(p));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("digest time '" + p + "' is not a time of day; write HH:mm, e.g. 06:00,11:00,15:00,19:00");
            }
        }
        return new DigestSchedule(zone, parsed);
    }

    /**
     * The window the digest due at {@code now} reports on: from the scheduled time before the latest one up to the
     * latest scheduled time at or before {@code now}. At 11:00:05 with the default times that is [06:00, 11:00).
     */
    public DigestWindow currentWindow(Instant now) {
        Instant end = latestAtOrBefore(now);
        return new DigestWindow(latestBefore(end), end);
    }

    /** The window the previous digest reported on: the one that ends where {@code window} starts. */
    public DigestWindow windowBefore(DigestWindow window) {
        return new DigestWindow(latestBefore(window.from()), window.from());
    }

    /** The first scheduled time strictly after {@code now}: when to run next. */
    public Instant nextAfter(Instant now) {
        LocalDate day = now.atZone(zone).toLocalDate();
        for (int d = 0; d <= 2; d++) {
            for (Instant slot : slotsOn(day.plusDays(d))) {
                if (slot.isAfter(now)) {
                    return slot;
                }
            }
        }
        throw new IllegalStateException("no digest time within two days of " + now);
    }

    /** The latest scheduled instant at or before {@code t}. */
    public Instant latestAtOrBefore(Instant t) {
        return latest(t, true);
    }

    private Instant latestBefore(Instant t) {
        return latest(t, false);
    }

    private Instant latest(Instant t, boolean inclusive) {
        LocalDate day = t.atZone(zone).toLocalDate();
        for (int d = 0; d <= 2; d++) {
            List<Instant> slots = slotsOn(day.minusDays(d));
            for (int i = slots.size() - 1; i >= 0; i--) {
                Instant slot = slots.get(i);
                if (slot.isBefore(t) || (inclusive && slot.equals(t))) {
                    return slot;
                }
            }
        }
        throw new IllegalStateException("no digest time within two days before " + t);
    }

    /** The scheduled instants of one local day, ascending, each once (DST rules as in the class comment). */
    private List<Instant> slotsOn(LocalDate day) {
        TreeSet<Instant> slots = new TreeSet<>();
        for (LocalTime time : times) {
            slots.add(ZonedDateTime.of(day, time, zone).toInstant());
        }
        return new ArrayList<>(slots);
    }
}
