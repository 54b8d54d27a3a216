package io.jobwatch.store.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema: migration N brings a file from user_version N-1 to N. Never edit a released migration; add one.
 * Times are ISO-8601 text at full precision; the indexed sort_time / expires_at columns are epoch
 * milliseconds (expires_at rounded up, so a purge never deletes early). Every query of the store is served by a key or one of these indexes.
 */
final class Schema {
    static final List<List<String>> MIGRATIONS = List.of(
            // 1: runs, the event ids seen per job (duplicates), long-lived job summaries, parked input.
            List.of("""
                    CREATE TABLE runs (
                      job_id TEXT NOT NULL,
                      run_id TEXT NOT NULL,
                      state TEXT NOT NULL,
                      source_state TEXT NOT NULL,
                      started_at TEXT,
                      ended_at TEXT,
                      error TEXT,
                      notes TEXT,
                      first_seen TEXT NOT NULL,
                      last_updated TEXT NOT NULL,
                      event_count INTEGER NOT NULL,
                      last_event_time TEXT NOT NULL,
                      expires TEXT NOT NULL,
                      expires_at INTEGER NOT NULL,
                      sort_time INTEGER NOT NULL,
                      PRIMARY KEY (job_id, run_id)
                    ) WITHOUT ROWID""",
                    // runsOfJob (newest first)
                    "CREATE INDEX runs_by_job_time ON runs (job_id, sort_time)",
                    // runsBetween (export, runs command)
                    "CREATE INDEX runs_by_time ON runs (sort_time)",
                    // purgeExpired
                    "CREATE INDEX runs_by_expiry ON runs (expires_at)",
                    """
                    CREATE TABLE run_events (
                      job_id TEXT NOT NULL,
                      event_id TEXT NOT NULL,
                      run_id TEXT NOT NULL,
                      PRIMARY KEY (job_id, event_id)
                    ) WITHOUT ROWID""",
                    // crawler re-keying and cleanup of a run's event ids
                    "CREATE INDEX run_events_by_run ON run_events (job_id, run_id)",
                    """
                    CREATE TABLE job_summaries (
                      job_id TEXT PRIMARY KEY,
                      summary TEXT NOT NULL,
                      last_updated TEXT NOT NULL
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE parked (
                      id INTEGER PRIMARY KEY,
                      parked_at TEXT NOT NULL,
                      source TEXT NOT NULL,
                      reason TEXT NOT NULL,
                      raw TEXT,
                      expires_at INTEGER NOT NULL
                    )""",
                    "CREATE INDEX parked_by_expiry ON parked (expires_at)"),
            // 2: incidents (one record per job and problem kind, long-lived) and the outbox of incident actions.
            List.of("""
                    CREATE TABLE incidents (
                      job_id TEXT NOT NULL,
                      kind TEXT NOT NULL,
                      correlation_id TEXT NOT NULL,
                      sys_id TEXT,
                      number TEXT,
                      state TEXT NOT NULL,
                      opened_at TEXT NOT NULL,
                      updated_at TEXT NOT NULL,
                      resolved_at TEXT,
                      consecutive_failures INTEGER NOT NULL,
                      consecutive_successes INTEGER NOT NULL,
                      last_flip_at TEXT,
                      last_run_id TEXT,
                      PRIMARY KEY (job_id, kind)
                    ) WITHOUT ROWID""",
                    // open()
                    "CREATE INDEX incidents_by_state ON incidents (state)",
                    """
                    CREATE TABLE outbox (
                      id INTEGER PRIMARY KEY AUTOINCREMENT,
                      correlation_id TEXT NOT NULL,
                      action TEXT NOT NULL,
                      status TEXT NOT NULL,
                      created_at TEXT NOT NULL,
                      attempts INTEGER NOT NULL,
                      next_attempt_at TEXT NOT NULL,
                      last_error TEXT,
                      response_status INTEGER NOT NULL,
                      response_body TEXT,
                      done_at TEXT,
                      ticket_number TEXT
                    )""",
                    // pending() / parked(), in append order
                    "CREATE INDEX outbox_by_status ON outbox (status, id)"),
            // 3: openRuns (SLA checks): a partial index holding only runs that have not finished.
            List.of("CREATE INDEX runs_open ON runs (job_id, sort_time) WHERE state IN ('PENDING', 'RUNNING')"),
            // 4: SLA breaches currently raised (one per job and kind), so a restart does not raise them again.
            List.of("""
                    CREATE TABLE breaches (
                      job_id TEXT NOT NULL,
                      kind TEXT NOT NULL,
                      expected_at TEXT NOT NULL,
                      detected_at TEXT NOT NULL,
                      detail TEXT NOT NULL,
                      confidence TEXT NOT NULL,
                      run_id TEXT,
                      pages INTEGER NOT NULL,
                      PRIMARY KEY (job_id, kind)
                    ) WITHOUT ROWID"""),
            // 5: per team, whether its last digest was delivered (the next one says so when it was not).
            List.of("""
                    CREATE TABLE digest_deliveries (
                      team TEXT NOT NULL PRIMARY KEY,
                      window_end TEXT NOT NULL,
                      failed INTEGER NOT NULL
                    ) WITHOUT ROWID"""),
            // 6: one decision per run, one sender per action. Incident records get a version (saves are conditional
            // on it), the actions saved with a decision until they are in the outbox, the runs already noted and the
            // recent tickets. The outbox is keyed by the action (a repeated decision is one entry), ordered per
            // incident by seq, and claimed by one sender at a time (owner, lease_until in epoch ms).
            List.of("ALTER TABLE incidents ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
                    "ALTER TABLE incidents ADD COLUMN pending TEXT NOT NULL DEFAULT '[]'",
                    "ALTER TABLE incidents ADD COLUMN noted TEXT NOT NULL DEFAULT '[]'",
                    "ALTER TABLE incidents ADD COLUMN tickets TEXT NOT NULL DEFAULT '{}'",
                    """
                    CREATE TABLE outbox_entries (
                      id TEXT NOT NULL PRIMARY KEY,
                      correlation_id TEXT NOT NULL,
                      seq INTEGER NOT NULL,
                      action TEXT NOT NULL,
                      status TEXT NOT NULL,
                      created_at TEXT NOT NULL,
                      attempts INTEGER NOT NULL,
                      next_attempt_at TEXT NOT NULL,
                      last_error TEXT,
                      response_status INTEGER NOT NULL,
                      response_body TEXT,
                      done_at TEXT,
                      ticket_number TEXT,
                      owner TEXT,
                      lease_until INTEGER
                    ) WITHOUT ROWID""",
                    "INSERT INTO outbox_entries (id, correlation_id, seq, action, status, created_at, attempts,"
                            + " next_attempt_at, last_error, response_status, response_body, done_at, ticket_number)"
                            + " SELECT 'legacy-' || id, correlation_id, id, action, status, created_at, attempts,"
                            + " next_attempt_at, last_error, response_status, response_body, done_at, ticket_number"
                            + " FROM outbox",
                    "DROP TABLE outbox",
                    // pending() / parked(): by status, then per incident in order
                    "CREATE INDEX outbox_entries_by_status ON outbox_entries (status, correlation_id, seq)"),
            // 7: each action goes to ServiceNow and to the team's channels, one entry per destination ('servicenow'
            // for every entry written before).
            List.of("ALTER TABLE outbox_entries ADD COLUMN destination TEXT NOT NULL DEFAULT 'servicenow'"),
            // 8: daily rollups (SqliteRollupRecords): the lines the daily pass wrote per day, single lines (late changes,
            // incidents' open time), incident intervals still open, days changed since the pass, the last pass.
            List.of("""
                    CREATE TABLE rollup_runs (
                      day TEXT NOT NULL,
                      job_id TEXT NOT NULL,
                      run_key TEXT NOT NULL,
                      version INTEGER NOT NULL,
                      state TEXT,
                      duration_s INTEGER,
                      expires_at INTEGER NOT NULL,
                      PRIMARY KEY (day, job_id, run_key)
                    ) WITHOUT ROWID""",
                    """
                    CREATE TABLE rollup_lines (
                      day TEXT NOT NULL,
                      job_id TEXT NOT NULL,
                      kind TEXT NOT NULL,
                      line_key TEXT NOT NULL,
                      version INTEGER NOT NULL,
                      state TEXT,
                      duration_s INTEGER,
                      minutes INTEGER,
                      resolved INTEGER,
                      total_minutes INTEGER,
                      expires_at INTEGER NOT NULL,
                      PRIMARY KEY (day, job_id, kind, line_key)
                    ) WITHOUT ROWID""",
                    // one job's days (the job page)
                    "CREATE INDEX rollup_runs_by_job ON rollup_runs (job_id, day)",
                    "CREATE INDEX rollup_lines_by_job ON rollup_lines (job_id, day)",
                    // purgeExpired
                    "CREATE INDEX rollup_runs_by_expiry ON rollup_runs (expires_at)",
                    "CREATE INDEX rollup_lines_by_expiry ON rollup_lines (expires_at)",
                    """
                    CREATE TABLE rollup_open (
                      job_id TEXT NOT NULL,
                      kind TEXT NOT NULL,
                      incident TEXT NOT NULL,
                      since TEXT NOT NULL,
                      PRIMARY KEY (job_id, kind)
                    ) WITHOUT ROWID""",
                    "CREATE TABLE rollup_changed (day TEXT NOT NULL PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID",
                    "CREATE TABLE rollup_pass (id INTEGER PRIMARY KEY CHECK (id = 1), day TEXT NOT NULL)"),
            // 9: attempts of a run (redrives, retries), a success's warning, the job name as the service wrote it
            // (when a per-run suffix was stripped) and the service's own "late" threshold (seconds).
            List.of("ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1",
                    "ALTER TABLE runs ADD COLUMN warning TEXT",
                    "ALTER TABLE runs ADD COLUMN raw_job_name TEXT",
                    "ALTER TABLE runs ADD COLUMN notify_delay_s INTEGER"));

    private Schema() {
    }

    /**
     * A connection of its own to the store's file, as the incidents, breaches and delivery log keep: WAL (readers do
     * not block the run store's writer), a 10 s busy timeout, and the schema brought to the newest version.
     */
    static Connection open(Path db) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA busy_timeout=10000");
            migrate(c, db.toString());
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /**
     * Brings the database to the newest version; refuses a file written by a newer Jobwatch. The version is read and
     * the migrations run under the write lock ({@code BEGIN IMMEDIATE}, waiting up to the busy timeout), so processes
     * opening a new file at the same moment migrate it once: the others find it done.
     */
    static void migrate(Connection c, String where) throws SQLException {
        boolean auto = c.getAutoCommit();
        if (!auto) {
            c.setAutoCommit(true);
        }
        try (Statement s = c.createStatement()) {
            if (version(s, where) == MIGRATIONS.size()) {
                return; // the usual case: nothing to do, no write lock taken
            }
            s.execute("BEGIN IMMEDIATE");
            try {
                int version = version(s, where);
                for (int v = version; v < MIGRATIONS.size(); v++) {
                    for (String sql : MIGRATIONS.get(v)) {
                        s.execute(sql);
                    }
                    s.execute("PRAGMA user_version = " + (v + 1));
                }
                s.execute("COMMIT");
            } catch (SQLException e) {
                s.execute("ROLLBACK");
                throw e;
            }
        } finally {
            if (!auto) {
                c.setAutoCommit(false);
            }
        }
    }

    private static int version(Statement s, String where) throws SQLException {
        try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
            int version = rs.next() ? rs.getInt(1) : 0;
            if (version > MIGRATIONS.size()) {
                throw new SQLException(where + ": schema version " + version + " was written by a newer Jobwatch; this one knows"
                        + " up to " + MIGRATIONS.size() + ". Use the newer jobwatch or another --db file.");
            }
            return version;
        }
    }
}
