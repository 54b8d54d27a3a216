package io.jobwatch.store.sqlite;

import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentActionJson;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.RunStoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Incident records and the outbox of incident actions, in the same SQLite file as the runs (its own connection; WAL
 * lets it work beside the run store). Every call is one short statement, committed at once: an action appended here
 * survives a crash before it is sent.
 */
public final class SqliteIncidents implements IncidentStore, Outbox, AutoCloseable {
    private static final String RECORD_COLUMNS = "job_id, kind, correlation_id, sys_id, number, state, opened_at, "
            + "updated_at, resolved_at, consecutive_failures, consecutive_successes, last_flip_at, last_run_id";
    private static final String OUTBOX_COLUMNS = "id, action, status, created_at, attempts, next_attempt_at, "
            + "last_error, response_status, response_body, done_at, ticket_number";

    private final Connection c;
    private final ReentrantLock lock = new ReentrantLock();

    public SqliteIncidents(Path db) {
        Objects.requireNonNull(db, "db");
        try {
            Path parent = db.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            c = Schema.open(db);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA synchronous=NORMAL");
            }
        } catch (SQLException | java.io.IOException e) {
            throw new RunStoreException("cannot open the incident store " + db + ": " + e.getMessage(), e);
        }
    }

    // ---- IncidentStore

    @Override
    public Optional<IncidentRecord> find(JobKey job, ProblemKind kind) {
        return locked(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RECORD_COLUMNS + " FROM incidents WHERE job_id = ? AND kind = ?")) {
                ps.setString(1, job.id());
                ps.setString(2, kind.name());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(record(rs)) : Optional.<IncidentRecord>empty();
                }
            }
        });
    }

    @Override
    public void save(IncidentRecord r) {
        locked(() -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO incidents (" + RECORD_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, r.job().id());
                ps.setString(2, r.kind().name());
                ps.setString(3, r.correlationId());
                ps.setString(4, r.sysId());
                ps.setString(5, r.number());
                ps.setString(6, r.state().name());
                ps.setString(7, r.openedAt().toString());
                ps.setString(8, r.updatedAt().toString());
                ps.setString(9, text(r.resolvedAt()));
                ps.setInt(10, r.consecutiveFailures());
                ps.setInt(11, r.consecutiveSuccesses());
                ps.setString(12, text(r.lastFlipAt()));
                ps.setString(13, r.lastRunId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<IncidentRecord> open() {
        return locked(() -> {
            List<IncidentRecord> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + RECORD_COLUMNS
                    + " FROM incidents WHERE state = 'OPEN' ORDER BY opened_at, job_id, kind");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(record(rs));
                }
            }
            return out;
        });
    }

    private static IncidentRecord record(ResultSet rs) throws SQLException {
        return new IncidentRecord(JobKey.parse(rs.getString(1)), ProblemKind.valueOf(rs.getString(2)), rs.getString(3),
                rs.getString(4), rs.getString(5), IncidentRecord.State.valueOf(rs.getString(6)), instant(rs.getString(7)),
                instant(rs.getString(8)), instant(rs.getString(9)), rs.getInt(10), rs.getInt(11), instant(rs.getString(12)),
                rs.getString(13));
    }

    // ---- Outbox

    @Override
    public OutboxEntry append(IncidentAction action, Instant at) {
        return locked(() -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox (correlation_id, action, status, created_at,"
                    + " attempts, next_attempt_at, response_status) VALUES (?, ?, 'PENDING', ?, 0, ?, 0)",
                    Statement.RETURN_GENERATED_KEYS)) {
                ps.setString(1, action.correlationId());
                ps.setString(2, IncidentActionJson.write(action));
                ps.setString(3, at.toString());
                ps.setString(4, at.toString());
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return new OutboxEntry(Long.toString(keys.getLong(1)), action, OutboxEntry.Status.PENDING, at, 0, at,
                            null, 0, null, null, null);
                }
            }
        });
    }

    @Override
    public List<OutboxEntry> pending() {
        return byStatus(OutboxEntry.Status.PENDING);
    }

    @Override
    public List<OutboxEntry> parked() {
        return byStatus(OutboxEntry.Status.PARKED);
    }

    private List<OutboxEntry> byStatus(OutboxEntry.Status status) {
        return locked(() -> {
            List<OutboxEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OUTBOX_COLUMNS + " FROM outbox WHERE status = ? ORDER BY id")) {
                ps.setString(1, status.name());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public Optional<OutboxEntry> find(String id) {
        return locked(() -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OUTBOX_COLUMNS + " FROM outbox WHERE id = ?")) {
                ps.setLong(1, parseId(id));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(entry(rs)) : Optional.<OutboxEntry>empty();
                }
            }
        });
    }

    @Override
    public void markSent(String id, Instant at, String ticketNumber) {
        update("UPDATE outbox SET status = 'SENT', done_at = ?, ticket_number = ? WHERE id = ?", at.toString(), ticketNumber, id);
    }

    @Override
    public void reschedule(String id, int attempts, Instant nextAttemptAt, String lastError) {
        update("UPDATE outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND status = 'PENDING'",
                attempts, nextAttemptAt.toString(), lastError, id);
    }

    @Override
    public void park(String id, Instant at, String reason, int responseStatus, String responseBody) {
        update("UPDATE outbox SET status = 'PARKED', done_at = ?, last_error = ?, response_status = ?, response_body = ? WHERE id = ?",
                at.toString(), reason, responseStatus, responseBody, id);
    }

    private void update(String sql, Object... args) {
        locked(() -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    boolean isId = i == args.length - 1;
                    if (isId) {
                        ps.setLong(i + 1, parseId((String) args[i]));
                    } else {
                        ps.setObject(i + 1, args[i]);
                    }
                }
                if (ps.executeUpdate() == 0 && !sql.contains("status = 'PENDING'")) {
                    throw new IllegalArgumentException("no outbox entry " + args[args.length - 1]);
                }
            }
            return null;
        });
    }

    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        return new OutboxEntry(Long.toString(rs.getLong(1)), IncidentActionJson.read(rs.getString(2)),
                OutboxEntry.Status.valueOf(rs.getString(3)), instant(rs.getString(4)), rs.getInt(5), instant(rs.getString(6)),
                rs.getString(7), rs.getInt(8), rs.getString(9), instant(rs.getString(10)), rs.getString(11));
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("no outbox entry " + id);
        }
    }

    @Override
    public void close() {
        locked(() -> {
            c.close();
            return null;
        });
    }

    private interface Sql<T> {
        T run() throws SQLException;
    }

    private <T> T locked(Sql<T> body) {
        lock.lock();
        try {
            return body.run();
        } catch (SQLException e) {
            throw new RunStoreException("incident store: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
