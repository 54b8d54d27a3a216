package io.jobwatch.store.sqlite;

import io.jobwatch.core.store.RecordRunStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The run store on one SQLite file: core's {@link RecordRunStore} over {@link SqliteRunRecords} (wiring only). */
public final class SqliteRunStore extends RecordRunStore {
    /** Default database file, relative to the working directory. */
    public static final Path DEFAULT_PATH = Path.of("jobwatch.db");
    /** How long a write waits for another connection's write lock before failing with SQLITE_BUSY. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = SqliteRunRecords.DEFAULT_BUSY_TIMEOUT;
    /** Rows per page of {@code runsBetween}. */
    static final int PAGE = SqliteRunRecords.PAGE;

    private final Path path;

    /**
     * Opens (creating if needed) the database file and brings its schema up to date.
     *
     * @param db        the file, e.g. {@link #DEFAULT_PATH}
     * @param clock     store clock: firstSeen, lastUpdated, expiry
     * @param retention how long runs and parked events live after their last update
     */
    public SqliteRunStore(Path db, Clock clock, Duration retention) {
        this(db, clock, retention, DEFAULT_BUSY_TIMEOUT);
    }

    /** As above, with how long a write waits while another process holds the file's write lock (SQLITE_BUSY). */
    public SqliteRunStore(Path db, Clock clock, Duration retention, Duration busyTimeout) {
        this(db, clock, retention, busyTimeout, io.jobwatch.core.store.Rollups.DEFAULT_RETENTION);
    }

    /** As above, with how long a day's rollup is kept after the day (the catalog's {@code retention.rollups}). */
    public SqliteRunStore(Path db, Clock clock, Duration retention, Duration busyTimeout, Duration rollupRetention) {
        super(new SqliteRunRecords(db, busyTimeout, clock.instant()), clock, retention, rollupRetention);
        this.path = db;
    }

    /** The database file. */
    public Path path() {
        return path;
    }
}
