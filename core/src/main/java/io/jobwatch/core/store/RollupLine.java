package io.jobwatch.core.store;

import io.jobwatch.core.run.RunState;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One fact a job's daily rollup is made of: a finished run ({@link RunLine}) or a part of an incident's open time
 * ({@link IncidentLine}). A day's rollup is the set of its lines, so writing a line again is harmless and a later
 * version of a line replaces an earlier one whatever order they arrive in ({@link RollupRecords#putLine}).
 */
public sealed interface RollupLine permits RollupLine.RunLine, RollupLine.IncidentLine {
    /** Versions are at most this (a run's event count; adapters may keep versions in fixed-width text). */
    long MAX_VERSION = 9_999_999;

    /** Keys are short and plain, so back ends can keep them as names: 1–64 of {@code A-Z a-z 0-9 _ - . : @}. */
    Pattern KEY = Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");

    /** The line's identity within its job and day (run lines and incident lines are apart: no clash). */
    String key();

    private static void checkKey(String key) {
        Objects.requireNonNull(key, "key");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a rollup line key is 1-64 of A-Z a-z 0-9 _ - . : @, was '" + key + "'");
        }
    }

    /** Which of two lines with the same key is the newer: the greater version wins. */
    long version();

    /**
     * A run of the job on this day, as it was when its {@link Run#eventCount()} was {@code version}.
     *
     * @param key     the run's key ({@link RollupFold#runKey}: a digest of its run id)
     * @param version the run's event count when the line was made ({@link #MAX_VERSION} for a run gone for good)
     * @param state   its terminal state; null: the run is no longer a finished run of this day (it moved to another
     *                day, started another attempt, or was merged into another run)
     * @param seconds whole seconds from start to end (rounded down), or null when the start is not known
     */
    record RunLine(String key, long version, RunState state, Long seconds) implements RollupLine {
        public RunLine {
            checkKey(key);
            if (version < 1 || version > MAX_VERSION) {
                throw new IllegalArgumentException("version must be 1.." + MAX_VERSION + ", was " + version);
            }
            if (state != null && !state.terminal()) {
                throw new IllegalArgumentException("a run line holds a finished run, not " + state);
            }
            if (seconds != null && seconds < 0) {
                throw new IllegalArgumentException("seconds must not be negative: " + seconds);
            }
        }

        /** The run no longer counts on this day (as of {@code version}). */
        public static RunLine gone(String key, long version) {
            return new RunLine(key, version, null, null);
        }

        public boolean counted() {
            return state != null;
        }
    }

    /**
     * The part of one incident's open time that fell on this day (by run time: from the run that opened it to the
     * run that resolved it), written when the incident is resolved.
     *
     * @param key          {@code KIND@epochSecond} of the open interval's start (an incident reopened has two)
     * @param minutes      whole minutes of the interval on this day
     * @param resolved     the interval ended (the incident was resolved) on this day
     * @param totalMinutes the whole interval's minutes (counted for the time to resolve on the day it ended)
     */
    record IncidentLine(String key, long minutes, boolean resolved, long totalMinutes) implements RollupLine {
        public IncidentLine {
            checkKey(key);
            if (minutes < 0 || totalMinutes < minutes) {
                throw new IllegalArgumentException("minutes must be 0.." + totalMinutes + ", was " + minutes);
            }
        }

        /** Incident lines are final when written: every write of one is the same line. */
        @Override
        public long version() {
            return 1;
        }
    }
}
