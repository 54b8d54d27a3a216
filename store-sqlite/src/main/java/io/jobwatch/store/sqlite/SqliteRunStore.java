package io.jobwatch.store.sqlite;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.run.Text;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.JobSummaryState;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.RunStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;

/**
 * The run store in one embedded SQLite file (WAL journal, versioned schema, see {@link Schema}). One connection,
 * guarded by a lock: SQLite has one writer anyway, and reads are short. Because the file is local, an apply may read
 * the run before writing it inside its transaction; {@link #applyAll} applies a whole batch in one transaction.
 * Expired rows are deleted by {@link #purgeExpired()}, which the store also runs itself when opened and then at most
 * once per {@link #PURGE_EVERY} of store-clock time during ingest.
 */
public final class SqliteRunStore implements RunStore {
    /** Default database file, relative to the working directory. */
    public static final Path DEFAULT_PATH = Path.of("jobwatch.db");
    /** How long a write waits for another connection's write lock before failing with SQLITE_BUSY. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(10);
    /** How often ingest also deletes expired rows. */
    public static final Duration PURGE_EVERY = Duration.ofHours(1);

    private static final String RUN_COLUMNS = "job_id, run_id, state, source_state, started_at, ended_at, error, notes,"
            + " first_seen, last_updated, event_count, last_event_time, expires";

    private final Path path;
    private final Clock clock;
    private final Duration retention;
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
    private final PreparedStatement crawlAtOrBefore;
    private final PreparedStatement crawlAfter;
    private final PreparedStatement selectSummary;
    private final PreparedStatement upsertSummary;
    private final PreparedStatement selectSummaryRow;
    /** Parsed summaries (immutable) with the last_updated they were read at; see {@link #latestPerJob()}. */
    private final Map<String, CachedSummary> summaryCache = new HashMap<>();
    private Instant lastPurge;
    /** Summaries changed in the current transaction: read and written once per job per batch. */
    private final Map<JobKey, JobSummaryState> pendingSummaries = new HashMap<>();
    /** Run rows as the current batch sees them (empty = no row), so each run is read at most once per batch. */
    private final Map<RunKey, Optional<Run>> batchRuns = new HashMap<>();
    /** Runs changed in the current batch, written with one executeBatch at commit. */
    private final Map<RunKey, Run> dirtyRuns = new java.util.LinkedHashMap<>();
    /** Event ids applied in the current batch → run id, written with one executeBatch at commit. */
    private final Map<RunKey, String> batchEvents = new java.util.LinkedHashMap<>();

    private record CachedSummary(String lastUpdated, JobSummary summary) {
    }

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

    /**
     * As {@link #SqliteRunStore(Path, Clock, Duration)}, with how long a write waits while another connection (another
     * process) holds the file's write lock before it fails with SQLITE_BUSY.
     */
    public SqliteRunStore(Path db, Clock clock, Duration retention, Duration busyTimeout) {
        this.path = Objects.requireNonNull(db, "db");
        this.busyTimeout = Objects.requireNonNull(busyTimeout, "busyTimeout");
        if (busyTimeout.isNegative() || busyTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("busyTimeout must be between 0 and " + Integer.MAX_VALUE + " ms, was " + busyTimeout);
        }
        this.clock = Objects.requireNonNull(clock, "clock");
        this.retention = Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("retention must be positive, was " + retention);
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
                    + ", expires_at, sort_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            deleteRun = c.prepareStatement("DELETE FROM runs WHERE job_id = ? AND run_id = ?");
            insertEvent = c.prepareStatement("INSERT OR REPLACE INTO run_events (job_id, event_id, run_id) VALUES (?, ?, ?)");
            deleteEventsOfRun = c.prepareStatement("DELETE FROM run_events WHERE job_id = ? AND run_id = ?");
            moveEvents = c.prepareStatement("UPDATE run_events SET run_id = ? WHERE job_id = ? AND run_id = ?");
            crawlAtOrBefore = c.prepareStatement("SELECT " + RUN_COLUMNS
                    + " FROM runs WHERE job_id = ? AND run_id >= ? AND run_id <= ? ORDER BY run_id DESC LIMIT 1");
            crawlAfter = c.prepareStatement("SELECT " + RUN_COLUMNS
                    + " FROM runs WHERE job_id = ? AND run_id > ? AND run_id < ? ORDER BY run_id LIMIT 1");
            selectSummary = c.prepareStatement("SELECT summary FROM job_summaries WHERE job_id = ?");
            selectSummaryRow = c.prepareStatement("SELECT summary, last_updated FROM job_summaries WHERE job_id = ?");
            upsertSummary = c.prepareStatement(
                    "INSERT OR REPLACE INTO job_summaries (job_id, summary, last_updated) VALUES (?, ?, ?)");
        } catch (SQLException | java.io.IOException e) {
            throw new RunStoreException("cannot open the run store " + db + ": " + e.getMessage(), e);
        }
        purgeExpired();
    }

    /** The database file. */
    public Path path() {
        return path;
    }

    @Override
    public ApplyResult apply(RunEvent event) {
        return applyAll(List.of(event)).get(0);
    }

    @Override
    public List<ApplyResult> applyAll(List<RunEvent> events) {
        events.forEach(RunFold::validate);
        if (events.isEmpty()) {
            return List.of();
        }
        lock.lock();
        try {
            Instant now = clock.instant();
            List<ApplyResult> out = new ArrayList<>(events.size());
            begin();
            try {
                for (RunEvent e : events) {
                    out.add(applyOne(e, now));
                }
                flushBatch();
                for (Map.Entry<JobKey, JobSummaryState> s : pendingSummaries.entrySet()) {
                    writeSummary(s.getKey(), s.getValue(), now);
                }
                c.commit();
            } catch (SQLException | RuntimeException ex) {
                c.rollback();
                throw ex;
            } finally {
                pendingSummaries.clear();
                batchRuns.clear();
                dirtyRuns.clear();
                batchEvents.clear();
                c.setAutoCommit(true);
            }
            if (lastPurge == null || !now.isBefore(lastPurge.plus(PURGE_EVERY))) {
                purgeLocked(now);
            }
            return out;
        } catch (SQLException ex) {
            if (busy(ex)) {
                throw new RunStoreException("cannot apply " + events.size() + " event(s) to " + path + ": another "
                        + "connection held the database's write lock for longer than the busy timeout of "
                        + busyTimeout.toMillis() + " ms (SQLITE_BUSY); nothing of this batch was written, send it again "
                        + "(is another jobwatch process writing to the same file?)", ex);
            }
            throw new RunStoreException("cannot apply " + events.size() + " event(s) to " + path + ": " + ex.getMessage(), ex);
        } finally {
            lock.unlock();
        }
    }

    private ApplyResult applyOne(RunEvent e, Instant now) throws SQLException {
        JobKey job = e.job();
        String seenIn = eventRun(job, e.eventId());
        if (seenIn != null) {
            Run seen = liveRun(new RunKey(job, seenIn), now);
            if (seen != null) {
                return new ApplyResult(Outcome.DUPLICATE, seen, seen.state());
            }
        }
        RunKey key;
        Run previous;
        String takenOverId = null;
        if (RunFold.pairsByStart(job.source())) {
            // Crawler pairing queries key ranges: let them see this batch's writes.
            flushBatch();
        }
        if (e.runId() == null) {
            // A crawler's terminal event: the open crawl it ends (or the finished crawl it repeats), else a run of its own.
            Run candidate = one(crawlAtOrBefore, job.id(), RunFold.crawlPrefix(e), RunFold.orphanCrawlRunId(e));
            if (RunFold.joinsCrawl(candidate, e, now)) {
                key = candidate.key();
                previous = candidate;
            } else {
                key = new RunKey(job, RunFold.orphanCrawlRunId(e));
                previous = liveRun(key, now);
            }
        } else {
            key = e.runKey();
            previous = liveRun(key, now);
            if (previous == null && RunFold.pairsByStart(job.source())) {
                Run next = one(crawlAfter, job.id(), e.runId(), RunFold.crawlPrefix(e) + '\uffff');
                if (RunFold.takesOverOrphan(next, e, now)) {
                    takenOverId = next.runId();
                    previous = RunFold.rekey(next, key);
                    exec(deleteRun, job.id(), takenOverId);
                    exec(moveEvents, key.runId(), job.id(), takenOverId);
                    batchRuns.put(next.key(), Optional.empty());
                }
            }
        }
        if (previous == null && takenOverId == null && row(key).isPresent()) {
            // Forget the event ids of an expired run with this key: they belong to a run that is gone.
            flushBatch();
            exec(deleteEventsOfRun, job.id(), key.runId());
        }
        ApplyResult result = RunFold.apply(previous, key, e, now, retention);
        batchRuns.put(key, Optional.of(result.run()));
        dirtyRuns.put(key, result.run());
        batchEvents.put(new RunKey(job, e.eventId()), key.runId());

        if (takenOverId != null) {
            pendingSummaries.put(job, pendingSummary(job).rekeyed(takenOverId, result.run(), now));
        } else {
            switch (RunFold.summaryChange(previous, result)) {
                case FINISHED -> pendingSummaries.put(job, pendingSummary(job).finished(result.run(), now));
                case REFRESHED -> pendingSummaries.put(job, pendingSummary(job).refreshed(result.run(), now));
                case NONE -> {
                }
            }
        }
        return result;
    }

    @Override
    public Optional<Run> get(RunKey key) {
        lock.lock();
        try {
            Run r = one(selectRun, key.job().id(), key.runId());
            return r == null || r.expired(clock.instant()) ? Optional.empty() : Optional.of(r);
        } catch (SQLException e) {
            throw new RunStoreException("cannot read run " + key + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Run> runsOfJob(JobKey job, int limit) {
        lock.lock();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                + " FROM runs WHERE job_id = ? AND expires_at > ? ORDER BY sort_time DESC, run_id DESC")) {
            Instant now = clock.instant();
            ps.setString(1, job.id());
            ps.setLong(2, now.toEpochMilli());
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (out.size() < limit && rs.next()) {
                    Run r = run(rs);
                    if (!r.expired(now)) {
                        out.add(r);
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RunStoreException("cannot list runs of " + job + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Run> openRuns() {
        lock.lock();
        // The state condition repeats the partial index's, so SQLite reads only the open runs.
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs INDEXED BY runs_open"
                + " WHERE state IN ('PENDING', 'RUNNING') AND expires_at > ? ORDER BY job_id, sort_time, run_id")) {
            Instant now = clock.instant();
            ps.setLong(1, now.toEpochMilli());
            List<Run> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Run r = run(rs);
                    if (!r.expired(now)) {
                        out.add(r);
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RunStoreException("cannot list open runs: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<JobSummary> summary(JobKey job) {
        lock.lock();
        try {
            return Optional.ofNullable(summaryState(job).toSummary(job));
        } catch (SQLException e) {
            throw new RunStoreException("cannot read the summary of " + job + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<JobSummary> latestPerJob() {
        lock.lock();
        try {
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
        } catch (SQLException e) {
            throw new RunStoreException("cannot list job summaries: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void runsBetween(Instant from, Instant to, Consumer<Run> sink) {
        // Pages in key order: the lock is released between pages (ingest goes on during an export) and the caller's
        // memory stays bounded by one page, however many runs the window holds (1M runs export in -Xmx256m).
        Page page = runsIn(from, to, null);
        while (true) {
            page.runs().forEach(sink);
            if (page.last() == null) {
                return;
            }
            page = runsIn(from, to, page.last());
        }
    }

    /** Runs of one page, and the key of its last row when more may follow (else null). */
    private record Page(List<Run> runs, Object[] last) {
    }

    static final int PAGE = 2_000;

    private Page runsIn(Instant from, Instant to, Object[] after) {
        lock.lock();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS
                + ", sort_time FROM runs WHERE sort_time >= ? AND sort_time <= ? AND expires_at > ?"
                + (after == null ? "" : " AND (sort_time, job_id, run_id) > (?, ?, ?)")
                + " ORDER BY sort_time, job_id, run_id LIMIT " + PAGE)) {
            Instant now = clock.instant();
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
                    Run r = run(rs);
                    Instant t = r.sortTime();
                    if (!r.expired(now) && !t.isBefore(from) && t.isBefore(to)) {
                        out.add(r);
                    }
                }
            }
            return new Page(out, rows == PAGE ? last : null);
        } catch (SQLException e) {
            throw new RunStoreException("cannot list runs between " + from + " and " + to + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ParkedEvent park(String raw, String reason, String source) {
        lock.lock();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO parked (parked_at, source, reason, raw, expires_at) VALUES (?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            Instant now = clock.instant();
            String kept = Text.truncateUtf8(raw, ParkedEvent.MAX_RAW_BYTES);
            ps.setString(1, now.toString());
            ps.setString(2, source);
            ps.setString(3, reason);
            ps.setString(4, kept);
            ps.setLong(5, ceilMillis(now.plus(retention)));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return new ParkedEvent(Long.toString(keys.getLong(1)), now, source, reason, kept);
            }
        } catch (SQLException e) {
            throw new RunStoreException("cannot park an event from " + source + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<ParkedEvent> parked(int limit) {
        lock.lock();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, parked_at, source, reason, raw, expires_at FROM parked"
                + " WHERE expires_at > ? ORDER BY id DESC LIMIT ?")) {
            Instant now = clock.instant();
            ps.setLong(1, now.toEpochMilli());
            ps.setInt(2, limit);
            List<ParkedEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Instant at = Instant.parse(rs.getString(2));
                    if (now.isBefore(at.plus(retention))) {
                        out.add(new ParkedEvent(Long.toString(rs.getLong(1)), at, rs.getString(3), rs.getString(4),
                                rs.getString(5)));
                    }
                }
            }
            return out;
        } catch (SQLException e) {
            throw new RunStoreException("cannot list parked events: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int purgeExpired() {
        lock.lock();
        try {
            return purgeLocked(clock.instant());
        } catch (SQLException e) {
            throw new RunStoreException("cannot delete expired runs from " + path + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
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

    @Override
    public void close() {
        lock.lock();
        try {
            c.close();
        } catch (SQLException e) {
            throw new RunStoreException("cannot close " + path + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
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

    private Run liveRun(RunKey key, Instant now) throws SQLException {
        Run r = row(key).orElse(null);
        return r == null || r.expired(now) ? null : r;
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
                time(rs.getString(13)));
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
        ps.setLong(14, ceilMillis(r.expiresAt()));
        ps.setLong(15, r.sortTime().toEpochMilli());
    }

    private JobSummaryState pendingSummary(JobKey job) throws SQLException {
        JobSummaryState s = pendingSummaries.get(job);
        return s != null ? s : summaryState(job);
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

    private void writeSummary(JobKey job, JobSummaryState s, Instant now) throws SQLException {
        summaryCache.remove(job.id());
        upsertSummary.setString(1, job.id());
        upsertSummary.setString(2, json.write(s));
        upsertSummary.setString(3, now.toString());
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

    private static Instant time(String s) {
        return s == null ? null : SummaryJson.fastInstant(s);
    }

    private static long ceilMillis(Instant t) {
        long ms = t.toEpochMilli();
        return t.getNano() % 1_000_000 == 0 ? ms : ms + 1;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
