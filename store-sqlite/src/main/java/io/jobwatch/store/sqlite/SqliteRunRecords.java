package io.jobwatch.store.sqlite;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobBrief;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.JobSummaryState;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunRecords;
import io.jobwatch.core.store.RunStoreException;
import io.jobwatch.core.store.SummaryUpdate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.sqlite.SQLiteConfig;

/**
 * {@link RunRecords} in one embedded SQLite file (WAL journal, versioned schema, see {@link Schema}): runs as folded
 * rows, the event ids applied per job, job summaries as JSON. One connection guarded by a lock; a batch is one
 * {@code BEGIN IMMEDIATE} transaction, which also serializes writers in other processes on the same file. Within a
 * batch, rows are read at most once and written with one executeBatch at commit (range queries flush first).
 * Expired rows are deleted when the file is opened and then at most once per {@link #PURGE_EVERY} during ingest.
 */
public final class SqliteRunRecords implements RunRecords {
    /** How long a write waits for another connection's write lock before failing with SQLITE_BUSY. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** How often ingest also deletes expired rows. */
    public static final Duration PURGE_EVERY = Duration.ofHours(1);
    /** Rows per page of {@link #runsBetween}: the lock is released between pages and memory bounded by one. */
    static final int PAGE = 2_000;

    private static final String RUN_COLUMNS = "job_id, run_id, state, source_state, started_at, ended_at, error, notes,"
            + " first_seen, last_updated, event_count, last_event_time, expires, attempt, warning, raw_job_name,"
            + " notify_delay_s";

    private final Path path;
    private final Connection c;
    private final SummaryJson json = new SummaryJson(new ObjectMapper());
    private final ReentrantLock lock = new ReentrantLock();
    private final Duration busyTimeout;
    private final PreparedStatement selectEvent;
    private final PreparedStatement selectRun;
    private final PreparedStatement upsertRun;
    private final PreparedStatement deleteRun;
    private final PreparedStatement insertEvent;
    private final PreparedStatement deleteEventsOfRun;
    private final PreparedStatement moveEvents;
    private final PreparedStatement runUpTo;
    private final PreparedStatement runAfter;
    private final PreparedStatement selectSummary;
    private final PreparedStatement upsertSummary;
    private final PreparedStatement selectSummaryRow;
    /** Parsed summaries (immutable) with the last_updated they were read at; see {@link #summaries()}. */
    private final Map<String, CachedSummary> summaryCache = new HashMap<>();
    private Instant lastPurge;
    private Instant latestNow;
    private final SqliteRollupRecords rollups;
    private int depth;
    /** Summaries changed in the current transaction, written once per job at commit. */
    private final Map<JobKey, JobSummaryState> pendingSummaries = new LinkedHashMap<>();
    /** Run rows as the current batch sees them (empty = no row), so each run is read at most once per batch. */
    private final Map<RunKey, Optional<Run>> batchRuns = new HashMap<>();
    /** Runs changed in the current batch, written with one executeBatch at commit. */
    private final Map<RunKey, Run> dirtyRuns = new LinkedHashMap<>();
    /** Event ids applied in the current batch → run id, written with one executeBatch at commit. */
    private final Map<RunKey, String> batchEvents = new LinkedHashMap<>();

    private record CachedSummary(String lastUpdated, JobSummary summary) {
    }

    /**
     * Opens (creating if needed) the file, brings its schema up to date and deletes what expired by {@code now}.
     *
     * @param busyTimeout how long a write waits while another connection (process) holds the write lock
     */
    public SqliteRunRecords(Path db, Duration busyTimeout, Instant now) {
        this.path = Objects.requireNonNull(db, "db");
        this.busyTimeout = Objects.requireNonNull(busyTimeout, "busyTimeout");
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms, was " + busyTimeout);
        }
        try {
            Path parent = db.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            // BEGIN IMMEDIATE: a batch takes the write lock when it begins, where SQLite's busy handler waits for
            // another writer. A DEFERRED transaction reads first and then fails at once (SQLITE_BUSY) when it needs to
            // upgrade to writing while another connection writes: the busy handler is not run for that upgrade.
            SQLiteConfig config = new SQLiteConfig();
            config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
            c = DriverManager.getConnection("jdbc:sqlite:" + db, config.toProperties());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                // WAL + NORMAL: a commit survives a process crash; a power loss may drop the last commits.
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA busy_timeout=" + busyTimeout.toMillis());
                s.execute("PRAGMA foreign_keys=OFF");
            }
            Schema.migrate(c, db.toString());
            selectEvent = c.prepareStatement("SELECT run_id FROM run_events WHERE job_id = ? AND event_id = ?");
            selectRun = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE job_id = ? AND run_id = ?");
            upsertRun = c.prepareStatement("INSERT OR REPLACE INTO runs (" + RUN_COLUMNS
                    + ", expires_at, sort_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            deleteRun = c.prepareStatement("DELETE FROM runs WHERE job_id = ? AND run_id = ?");
            insertEvent = c.prepareStatement("INSERT OR REPLACE INTO run_events (job_id, event_id, run_id) VALUES (?, ?, ?)");
            deleteEventsOfRun = c.prepareStatement("DELETE FROM run_events WHERE job_id = ? AND run_id = ?");
            moveEvents = c.prepareStatement("UPDATE run_events SET run_id = ? WHERE job_id = ? AND run_id = ?");
            runUpTo = c.prepareStatement("SELECT " + RUN_COLUMNS
                    + " FROM runs WHERE job_id = ? AND run_id >= ? AND run_id <= ? ORDER BY run_id DESC LIMIT 1");
            runAfter = c.prepareStatement("SELECT " + RUN_COLUMNS
                    + " FROM runs WHERE job_id = ? AND run_id > ? AND run_id < ? ORDER BY run_id LIMIT 1");
            selectSummary = c.prepareStatement("SELECT summary FROM job_summaries WHERE job_id = ?");
            selectSummaryRow = c.prepareStatement("SELECT summary, last_updated FROM job_summaries WHERE job_id = ?");
            upsertSummary = c.prepareStatement(
                    "INSERT OR REPLACE INTO job_summaries (job_id, summary, last_updated) VALUES (?, ?, ?)");
            rollups = new SqliteRollupRecords(this, c, db);
        } catch (SQLException | java.io.IOException e) {
            throw new RunStoreException("cannot open the run store " + db + ": " + e.getMessage(), e);
        }
        purgeExpired(now);
    }

    // ---- the apply path ------------------------------------------------------------------------------------------

    @Override
    public <T> T batch(Supplier<T> work) {
        lock.lock();
        try {
            if (depth > 0) {
                return work.get();
            }
            T out;
            begin();
            depth++;
            try {
                out = work.get();
                flushBatch();
                for (Map.Entry<JobKey, JobSummaryState> s : pendingSummaries.entrySet()) {
                    writeSummary(s.getKey(), s.getValue());
                }
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                depth--;
                pendingSummaries.clear();
                batchRuns.clear();
                dirtyRuns.clear();
                batchEvents.clear();
                c.setAutoCommit(true);
            }
            if (latestNow != null && (lastPurge == null || !latestNow.isBefore(lastPurge.plus(PURGE_EVERY)))) {
                purgeLocked(latestNow);
            }
            return out;
        } catch (SQLException ex) {
            throw failure("cannot write a batch to " + path, ex);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Appended append(RunKey key, RunEvent event, Instant now, Instant expiresAt, UnaryOperator<Run> fold) {
        return inBatch(() -> {
            latestNow = now;
            JobKey job = key.job();
            String seenIn = eventRun(job, event.eventId());
            Optional<Run> row = row(key);
            Run live = row.filter(r -> !r.expired(now)).orElse(null);
            if (key.runId().equals(seenIn) && live != null) {
                return new Appended(live, live, true);
            }
            if (live == null && row.isPresent()) {
                // Forget the event ids of an expired run with this key: they belong to a run that is gone.
                flushBatch();
                exec(deleteEventsOfRun, job.id(), key.runId());
            }
            Run next = fold.apply(live);
            batchRuns.put(key, Optional.of(next));
            dirtyRuns.put(key, next);
            batchEvents.put(new RunKey(job, event.eventId()), key.runId());
            return new Appended(live, next, false);
        });
    }

    @Override
    public Optional<Run> lastRunUpTo(JobKey job, String prefix, String upTo) {
        return inBatch(() -> {
            flushBatch(); // the range query must see this batch's writes
            return Optional.ofNullable(one(runUpTo, job.id(), prefix, upTo));
        });
    }

    @Override
    public Optional<Run> firstRunAfter(JobKey job, String prefix, String after) {
        return inBatch(() -> {
            flushBatch();
            Run r = one(runAfter, job.id(), after, prefix + '\uffff');
            return Optional.ofNullable(r != null && r.runId().startsWith(prefix) ? r : null);
        });
    }

    @Override
    public Absorbed absorb(RunKey from, RunKey into, Instant now, Instant expiresAt, BinaryOperator<Run> combine) {
        return inBatch(() -> {
            Run source = row(from).orElse(null);
            Run target = row(into).orElse(null);
            if (source == null || target == null) {
                return new Absorbed(target, target, false);
            }
            Run merged = combine.apply(target, source);
            flushBatch();
            exec(deleteRun, from.job().id(), from.runId());
            exec(moveEvents, into.runId(), from.job().id(), from.runId());
            batchRuns.put(from, Optional.empty());
            batchRuns.put(into, Optional.of(merged));
            dirtyRuns.put(into, merged);
            return new Absorbed(target, merged, true);
        });
    }

    @Override
    public void summarize(JobKey job, SummaryUpdate update, Instant now) {
        inBatch(() -> {
            JobSummaryState before = pendingSummaries.containsKey(job) ? pendingSummaries.get(job) : summaryState(job);
            JobSummaryState after = update.applyTo(before, now);
            if (after != before) {
                pendingSummaries.put(job, after);
            }
            return null;
        });
    }

    // ---- queries -------------------------------------------------------------------------------------------------

    @Override
    public Optional<Run> run(RunKey key) {
        return locked("cannot read run " + key, () -> Optional.ofNullable(one(selectRun, key.job().id(), key.runId())));
    }

    @Override
    public List<Run> runsOfJob(JobKey job, int limit, Instant now) {
        return locked("cannot list runs of " + job, () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                    + " FROM runs WHERE job_id = ? AND expires_at > ? ORDER BY sort_time DESC, run_id DESC LIMIT ?")) {
                ps.setString(1, job.id());
                ps.setLong(2, now.toEpochMilli());
                ps.setInt(3, limit);
                return runs(ps);
            }
        });
    }

    @Override
    public List<Run> openRuns(Instant now) {
        // The state condition repeats the partial index's, so SQLite reads only the open runs.
        return locked("cannot list open runs", () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs INDEXED BY runs_open"
                    + " WHERE state IN ('PENDING', 'RUNNING') AND expires_at > ? ORDER BY job_id, sort_time, run_id")) {
                ps.setLong(1, now.toEpochMilli());
                return runs(ps);
            }
        });
    }

    @Override
    public Optional<JobSummary> summary(JobKey job) {
        return locked("cannot read the summary of " + job, () -> Optional.ofNullable(summaryState(job).toSummary(job)));
    }

    @Override
    public List<JobSummary> summaries() {
        return locked("cannot list job summaries", () -> {
            // The SLA checks call this every few minutes: re-read and parse only the summaries written since the
            // previous call (their last_updated changed); the others come from the cache.
            List<String> ids = new ArrayList<>();
            List<String> changed = new ArrayList<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT job_id, last_updated FROM job_summaries ORDER BY job_id")) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    ids.add(id);
                    CachedSummary cached = summaryCache.get(id);
                    if (cached == null || !cached.lastUpdated().equals(rs.getString(2))) {
                        changed.add(id);
                    }
                }
            }
            if (changed.size() > ids.size() / 4) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT job_id, summary, last_updated FROM job_summaries ORDER BY job_id")) {
                    while (rs.next()) {
                        cache(rs.getString(1), rs.getString(2), rs.getString(3));
                    }
                }
            } else {
                for (String id : changed) {
                    selectSummaryRow.setString(1, id);
                    try (ResultSet rs = selectSummaryRow.executeQuery()) {
                        if (rs.next()) {
                            cache(id, rs.getString(1), rs.getString(2));
                        }
                    }
                }
            }
            List<JobSummary> out = new ArrayList<>(ids.size());
            for (String id : ids) {
                CachedSummary cached = summaryCache.get(id);
                if (cached != null && cached.summary() != null) {
                    out.add(cached.summary());
                }
            }
            return out;
        });
    }

    /** The whole summaries (a local file has no cheaper form); completeness unknown, so readers use the runs. */
    @Override
    public List<JobBrief> briefs() {
        return summaries().stream().map(s -> new JobBrief(s, null)).toList();
    }

    @Override
    public void runsBetween(Instant from, Instant to, Instant now, Consumer<Run> sink) {
        // Pages in key order: the lock is released between pages (ingest goes on during an export) and the caller's
        // memory stays bounded by one page, however many runs the window holds (1M runs export in -Xmx256m).
        Page page = runsIn(from, to, now, null);
        while (true) {
            page.runs().forEach(sink);
            if (page.last() == null) {
                return;
            }
            page = runsIn(from, to, now, page.last());
        }
    }

    /** Runs of one page, and the key of its last row when more may follow (else null). */
    private record Page(List<Run> runs, Object[] last) {
    }

    private Page runsIn(Instant from, Instant to, Instant now, Object[] after) {
        return locked("cannot list runs between " + from + " and " + to, () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                    + ", sort_time FROM runs WHERE sort_time >= ? AND sort_time <= ? AND expires_at > ?"
                    + (after == null ? "" : " AND (sort_time, job_id, run_id) > (?, ?, ?)")
                    + " ORDER BY sort_time, job_id, run_id LIMIT " + PAGE)) {
                // The index seek starts at the last page's sort time (SQLite does not seek on the row value itself,
                // so without this every page would rescan the window from its start).
                ps.setLong(1, after == null ? from.toEpochMilli() : (Long) after[0]);
                ps.setLong(2, to.toEpochMilli());
                ps.setLong(3, now.toEpochMilli());
                if (after != null) {
                    ps.setLong(4, (Long) after[0]);
                    ps.setString(5, (String) after[1]);
                    ps.setString(6, (String) after[2]);
                }
                List<Run> out = new ArrayList<>();
                int rows = 0;
                Object[] last = null;
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        last = new Object[] {rs.getLong("sort_time"), rs.getString("job_id"), rs.getString("run_id")};
                        out.add(run(rs));
                    }
                }
                return new Page(out, rows == PAGE ? last : null);
            }
        });
    }

    // ---- parked input and expiry ---------------------------------------------------------------------------------

    @Override
    public ParkedEvent park(String raw, String reason, String source, Instant now, Instant expiresAt) {
        return locked("cannot park an event from " + source, () -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO parked (parked_at, source, reason, raw, expires_at) VALUES (?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, now.toString());
                ps.setString(2, source);
                ps.setString(3, reason);
                ps.setString(4, raw);
                ps.setLong(5, ceilMillis(expiresAt));
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new ParkedEvent(Long.toString(keys.getLong(1)), now, source, reason, raw);
                }
            }
        });
    }

    @Override
    public List<ParkedEvent> parked(int limit, Instant now) {
        return locked("cannot list parked events", () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, parked_at, source, reason, raw FROM parked"
                    + " WHERE expires_at > ? ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setInt(2, limit);
                List<ParkedEvent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ParkedEvent(Long.toString(rs.getLong(1)), Instant.parse(rs.getString(2)),
                                rs.getString(3), rs.getString(4), rs.getString(5)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public SqliteRollupRecords rollups() {
        return rollups;
    }

    @Override
    public int purgeExpired(Instant now) {
        return locked("cannot delete expired runs from " + path, () -> purgeLocked(now));
    }

    @Override
    public void close() {
        locked("cannot close " + path, () -> {
            c.close();
            return null;
        });
    }

    // ---- transactions --------------------------------------------------------------------------------------------

    interface Sql<T> {
        T run() throws SQLException;
    }

    /** Runs {@code body} inside the current batch, or in a batch of its own. */
    <T> T inBatch(Sql<T> body) {
        return batch(() -> {
            try {
                return body.run();
            } catch (SQLException e) {
                throw failure("cannot write to " + path, e);
            }
        });
    }

    <T> T locked(String what, Sql<T> body) {
        lock.lock();
        try {
            return body.run();
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            lock.unlock();
        }
    }

    private RunStoreException failure(String what, SQLException e) {
        if (busy(e)) {
            return new RunStoreException(path + ": another connection held the database's write lock for longer than"
                    + " the busy timeout of " + busyTimeout.toMillis() + " ms (SQLITE_BUSY); nothing of this batch was"
                    + " written, send it again (is another jobwatch process writing to the same file?)", e);
        }
        return new RunStoreException(what + ": " + e.getMessage(), e);
    }

    /**
     * BEGIN IMMEDIATE (the connection's transaction mode), waiting up to the busy timeout for another writer. When it
     * fails, sqlite-jdbc has already flipped its auto-commit flag: flip it back, or the next batch would run without
     * a transaction.
     */
    private void begin() throws SQLException {
        try {
            c.setAutoCommit(false);
        } catch (SQLException e) {
            try {
                c.setAutoCommit(true);
            } catch (SQLException noTransaction) {
                // "cannot commit - no transaction is active": expected, the flag is reset all the same.
            }
            throw e;
        }
    }

    private static boolean busy(SQLException e) {
        return e.getErrorCode() == 5 || String.valueOf(e.getMessage()).contains("SQLITE_BUSY"); // SQLITE_BUSY = 5
    }

    private int purgeLocked(Instant now) throws SQLException {
        lastPurge = now;
        long ms = now.toEpochMilli();
        int n = 0;
        begin();
        try (PreparedStatement runs = c.prepareStatement("DELETE FROM runs WHERE expires_at <= ?");
             PreparedStatement parked = c.prepareStatement("DELETE FROM parked WHERE expires_at <= ?");
             Statement orphans = c.createStatement()) {
            runs.setLong(1, ms);
            n += runs.executeUpdate();
            parked.setLong(1, ms);
            n += parked.executeUpdate();
            n += rollups.purgeLocked(ms);
            if (n > 0) {
                orphans.executeUpdate("DELETE FROM run_events WHERE NOT EXISTS (SELECT 1 FROM runs r"
                        + " WHERE r.job_id = run_events.job_id AND r.run_id = run_events.run_id)");
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
        return n;
    }

    // ---- rows ----------------------------------------------------------------------------------------------------

    /** Writes this batch's runs and event ids (executeBatch), so that SQL range queries see them. */
    private void flushBatch() throws SQLException {
        if (!dirtyRuns.isEmpty()) {
            for (Run r : dirtyRuns.values()) {
                bindRun(r);
                upsertRun.addBatch();
            }
            upsertRun.executeBatch();
            dirtyRuns.clear();
        }
        if (!batchEvents.isEmpty()) {
            for (Map.Entry<RunKey, String> ev : batchEvents.entrySet()) {
                insertEvent.setString(1, ev.getKey().job().id());
                insertEvent.setString(2, ev.getKey().runId());
                insertEvent.setString(3, ev.getValue());
                insertEvent.addBatch();
            }
            insertEvent.executeBatch();
            batchEvents.clear();
        }
    }

    /** The run row as this batch sees it (expired or not). */
    private Optional<Run> row(RunKey key) throws SQLException {
        Optional<Run> cached = batchRuns.get(key);
        if (cached != null) {
            return cached;
        }
        Optional<Run> r = Optional.ofNullable(one(selectRun, key.job().id(), key.runId()));
        batchRuns.put(key, r);
        return r;
    }

    private String eventRun(JobKey job, String eventId) throws SQLException {
        String inBatch = batchEvents.get(new RunKey(job, eventId));
        if (inBatch != null) {
            return inBatch;
        }
        selectEvent.setString(1, job.id());
        selectEvent.setString(2, eventId);
        try (ResultSet rs = selectEvent.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private List<Run> runs(PreparedStatement ps) throws SQLException {
        List<Run> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(run(rs));
            }
        }
        return out;
    }

    private Run one(PreparedStatement ps, String... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setString(i + 1, args[i]);
        }
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? run(rs) : null;
        }
    }

    private Run run(ResultSet rs) throws SQLException {
        JobKey job = JobKey.parse(rs.getString(1));
        return new Run(new RunKey(job, rs.getString(2)), RunState.valueOf(rs.getString(3)), rs.getString(4),
                time(rs.getString(5)), time(rs.getString(6)), rs.getString(7), json.readNotes(rs.getString(8)),
                time(rs.getString(9)), time(rs.getString(10)), rs.getInt(11), time(rs.getString(12)),
                time(rs.getString(13)), rs.getInt(14), rs.getString(15), rs.getString(16), seconds(rs, 17));
    }

    private void bindRun(Run r) throws SQLException {
        PreparedStatement ps = upsertRun;
        ps.setString(1, r.job().id());
        ps.setString(2, r.runId());
        ps.setString(3, r.state().name());
        ps.setString(4, r.sourceState());
        setTime(ps, 5, r.startedAt());
        setTime(ps, 6, r.endedAt());
        ps.setString(7, r.error());
        ps.setString(8, json.writeNotes(r.notes()));
        setTime(ps, 9, r.firstSeen());
        setTime(ps, 10, r.lastUpdated());
        ps.setInt(11, r.eventCount());
        setTime(ps, 12, r.lastEventTime());
        setTime(ps, 13, r.expiresAt());
        ps.setInt(14, r.attempt());
        ps.setString(15, r.warning());
        ps.setString(16, r.rawJobName());
        if (r.notifyDelay() == null) {
            ps.setNull(17, Types.INTEGER);
        } else {
            ps.setLong(17, r.notifyDelay().toSeconds());
        }
        ps.setLong(18, ceilMillis(r.expiresAt()));
        ps.setLong(19, r.sortTime().toEpochMilli());
    }

    private JobSummaryState summaryState(JobKey job) throws SQLException {
        selectSummary.setString(1, job.id());
        try (ResultSet rs = selectSummary.executeQuery()) {
            return rs.next() ? json.read(rs.getString(1)) : JobSummaryState.empty();
        }
    }

    private void cache(String jobId, String summaryJson, String lastUpdated) {
        summaryCache.put(jobId, new CachedSummary(lastUpdated, json.read(summaryJson).toSummary(JobKey.parse(jobId))));
    }

    private void writeSummary(JobKey job, JobSummaryState s) throws SQLException {
        summaryCache.remove(job.id());
        upsertSummary.setString(1, job.id());
        upsertSummary.setString(2, json.write(s));
        upsertSummary.setString(3, String.valueOf(s.lastUpdated()));
        upsertSummary.executeUpdate();
    }

    private static void exec(PreparedStatement ps, String... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setString(i + 1, args[i]);
        }
        ps.executeUpdate();
    }

    private static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, t.toString());
        }
    }

    private static Duration seconds(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Duration.ofSeconds(v);
    }

    private static Instant time(String s) {
        return s == null ? null : SummaryJson.fastInstant(s);
    }

    private static long ceilMillis(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }
}
