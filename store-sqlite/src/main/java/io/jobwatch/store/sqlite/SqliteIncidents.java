package io.jobwatch.store.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentActionJson;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentRef;
import io.jobwatch.core.incident.IncidentState;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.Incidents;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.store.RunStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Incident records and the outbox of incident actions, in the same SQLite file as the runs (a connection of its own;
 * WAL lets it work beside the run store). Every write is one statement or one short {@code BEGIN IMMEDIATE}
 * transaction, conditional as the ports require (version, claim owner), so several processes on one file — the CLI
 * beside {@code serve} — decide and send through the same rules as DynamoDB.
 */
public final class SqliteIncidents implements Incidents {
    private static final String RECORD_COLUMNS = "job_id, kind, correlation_id, sys_id, number, state, opened_at, "
            + "updated_at, resolved_at, consecutive_failures, consecutive_successes, last_flip_at, last_run_id, "
            + "version, pending, noted, tickets";
    private static final String OUTBOX_COLUMNS = "id, seq, action, status, created_at, attempts, next_attempt_at, "
            + "last_error, response_status, response_body, done_at, ticket_number, owner, lease_until";

    private final Connection c;
    private final ReentrantLock lock = new ReentrantLock();
    private final ObjectMapper json = new ObjectMapper();

    public SqliteIncidents(Path db) {
        Objects.requireNonNull(db, "db");
        try {
            Path parent = db.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            c = Schema.open(db);
            try (var s = c.createStatement()) {
                s.execute("PRAGMA synchronous=NORMAL");
            }
        } catch (SQLException | IOException e) {
            throw new RunStoreException("cannot open the incident store " + db + ": " + e.getMessage(), e);
        }
    }

    // ---- IncidentStore

    @Override
    public Optional<IncidentState> load(JobKey job, ProblemKind kind) {
        return locked(() -> Optional.ofNullable(row(job, kind)));
    }

    private IncidentState row(JobKey job, ProblemKind kind) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RECORD_COLUMNS
                + " FROM incidents WHERE job_id = ? AND kind = ?")) {
            ps.setString(1, job.id());
            ps.setString(2, kind.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? state(rs) : null;
            }
        }
    }

    @Override
    public boolean save(IncidentState next, long expectedVersion) {
        IncidentRecord r = next.record();
        return locked(() -> {
            String sql = expectedVersion == 0
                    ? "INSERT OR IGNORE INTO incidents (" + RECORD_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?, ?, ?, ?, ?)"
                    : "UPDATE incidents SET job_id = ?, kind = ?, correlation_id = ?, sys_id = ?, number = ?, state = ?,"
                    + " opened_at = ?, updated_at = ?, resolved_at = ?, consecutive_failures = ?,"
                    + " consecutive_successes = ?, last_flip_at = ?, last_run_id = ?, version = ?, pending = ?, noted = ?,"
                    + " tickets = ? WHERE job_id = ? AND kind = ? AND version = ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
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
                ps.setLong(14, next.version());
                ps.setString(15, pending(next.pending()));
                ps.setString(16, json.writeValueAsString(next.noted()));
                ps.setString(17, tickets(next.tickets()));
                if (expectedVersion != 0) {
                    ps.setString(18, r.job().id());
                    ps.setString(19, r.kind().name());
                    ps.setLong(20, expectedVersion);
                }
                return ps.executeUpdate() == 1;
            } catch (IOException e) {
                throw new IllegalStateException("cannot write incident state as JSON", e);
            }
        });
    }

    @Override
    public void relayed(JobKey job, ProblemKind kind, Collection<String> keys) {
        transaction(() -> {
            IncidentState s = row(job, kind);
            if (s == null) {
                return null;
            }
            List<IncidentState.PendingAction> left = s.pending().stream().filter(p -> !keys.contains(p.key())).toList();
            if (left.size() != s.pending().size()) {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE incidents SET pending = ? WHERE job_id = ? AND kind = ?")) {
                    ps.setString(1, pending(left));
                    ps.setString(2, job.id());
                    ps.setString(3, kind.name());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    @Override
    public boolean rememberTicket(IncidentRef ref, IncidentState.Ticket ticket, Instant at) {
        return transaction(() -> {
            IncidentState s = row(ref.job(), ref.kind());
            if (s == null || s.tickets().containsKey(ref.openedAt())) {
                return false;
            }
            IncidentRecord r = s.record();
            boolean same = r.openedAt().equals(ref.openedAt()) && r.sysId() == null;
            // The version moves: a decision made from the state before this write saves again, so it cannot put back
            // a record without the ticket.
            try (PreparedStatement ps = c.prepareStatement("UPDATE incidents SET tickets = ?, version = version + 1"
                    + (same ? ", sys_id = ?, number = ?" : "") + " WHERE job_id = ? AND kind = ?")) {
                int i = 1;
                ps.setString(i++, tickets(IncidentState.withTicket(s.tickets(), ref.openedAt(), ticket)));
                if (same) {
                    ps.setString(i++, ticket.sysId());
                    ps.setString(i++, ticket.number());
                }
                ps.setString(i++, ref.job().id());
                ps.setString(i, ref.kind().name());
                ps.executeUpdate();
            }
            return true;
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
                    out.add(state(rs).record());
                }
            }
            return out;
        });
    }

    private IncidentState state(ResultSet rs) throws SQLException {
        IncidentRecord r = new IncidentRecord(JobKey.parse(rs.getString(1)), ProblemKind.valueOf(rs.getString(2)),
                rs.getString(3), rs.getString(4), rs.getString(5), IncidentRecord.State.valueOf(rs.getString(6)),
                instant(rs.getString(7)), instant(rs.getString(8)), instant(rs.getString(9)), rs.getInt(10),
                rs.getInt(11), instant(rs.getString(12)), rs.getString(13));
        try {
            List<IncidentState.PendingAction> pending = new ArrayList<>();
            for (JsonNode p : json.readTree(rs.getString(15))) {
                pending.add(new IncidentState.PendingAction(p.get("key").asText(), p.get("seq").asLong(),
                        IncidentActionJson.read(p.get("action").asText())));
            }
            List<String> noted = new ArrayList<>();
            json.readTree(rs.getString(16)).forEach(n -> noted.add(n.asText()));
            Map<Instant, IncidentState.Ticket> tickets = new LinkedHashMap<>();
            json.readTree(rs.getString(17)).fields().forEachRemaining(e -> tickets.put(Instant.parse(e.getKey()),
                    new IncidentState.Ticket(e.getValue().get("sysId").asText(),
                            e.getValue().hasNonNull("number") ? e.getValue().get("number").asText() : null)));
            return new IncidentState(r, rs.getLong(14), pending, noted, tickets);
        } catch (IOException e) {
            throw new SQLException("unreadable incident state of " + r.job() + ": " + e.getMessage(), e);
        }
    }

    private String pending(List<IncidentState.PendingAction> pending) {
        ArrayNode a = json.createArrayNode();
        for (IncidentState.PendingAction p : pending) {
            a.addObject().put("key", p.key()).put("seq", p.seq()).put("action", IncidentActionJson.write(p.action()));
        }
        return a.toString();
    }

    private String tickets(Map<Instant, IncidentState.Ticket> tickets) {
        ObjectNode o = json.createObjectNode();
        tickets.forEach((at, t) -> o.putObject(at.toString()).put("sysId", t.sysId()).put("number", t.number()));
        return o.toString();
    }

    // ---- Outbox

    @Override
    public OutboxEntry append(String id, long seq, IncidentAction action, Instant at) {
        return transaction(() -> {
            OutboxEntry held = entry(id);
            if (held != null) {
                return held;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO outbox_entries (id, correlation_id, seq, action,"
                    + " status, created_at, attempts, next_attempt_at, response_status) VALUES (?, ?, ?, ?, 'PENDING', ?,"
                    + " 0, ?, 0)")) {
                ps.setString(1, id);
                ps.setString(2, action.correlationId());
                ps.setLong(3, seq);
                ps.setString(4, IncidentActionJson.write(action));
                ps.setString(5, at.toString());
                ps.setString(6, at.toString());
                ps.executeUpdate();
            }
            return OutboxEntry.appended(id, seq, action, at);
        });
    }

    @Override
    public List<OutboxEntry> pending() {
        return byStatus("status IN ('PENDING', 'SENDING')");
    }

    @Override
    public List<OutboxEntry> parked() {
        return byStatus("status = 'PARKED'");
    }

    private List<OutboxEntry> byStatus(String condition) {
        return locked(() -> {
            List<OutboxEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OUTBOX_COLUMNS + " FROM outbox_entries WHERE "
                    + condition + " ORDER BY correlation_id, seq, id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(entry(rs));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<OutboxEntry> find(String id) {
        return locked(() -> Optional.ofNullable(entry(id)));
    }

    private OutboxEntry entry(String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OUTBOX_COLUMNS + " FROM outbox_entries WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? entry(rs) : null;
            }
        }
    }

    @Override
    public boolean claim(String id, String owner, Instant now, Instant leaseUntil) {
        return update("UPDATE outbox_entries SET status = 'SENDING', owner = ?, lease_until = ? WHERE id = ? AND"
                + " (status = 'PENDING' OR (status = 'SENDING' AND lease_until <= ?))", owner, leaseUntil.toEpochMilli(),
                id, now.toEpochMilli());
    }

    @Override
    public boolean markSent(String id, String owner, Instant at, String ticketNumber) {
        return update("UPDATE outbox_entries SET status = 'SENT', done_at = ?, ticket_number = ?, owner = NULL,"
                + " lease_until = NULL WHERE id = ? AND status = 'SENDING' AND owner = ?", at.toString(), ticketNumber,
                id, owner);
    }

    @Override
    public boolean reschedule(String id, String owner, int attempts, Instant nextAttemptAt, String lastError) {
        return update("UPDATE outbox_entries SET status = 'PENDING', attempts = ?, next_attempt_at = ?, last_error = ?,"
                + " owner = NULL, lease_until = NULL WHERE id = ? AND status = 'SENDING' AND owner = ?", attempts,
                nextAttemptAt.toString(), lastError, id, owner);
    }

    @Override
    public boolean park(String id, String owner, Instant at, String reason, int responseStatus, String responseBody) {
        return update("UPDATE outbox_entries SET status = 'PARKED', done_at = ?, last_error = ?, response_status = ?,"
                + " response_body = ?, owner = NULL, lease_until = NULL WHERE id = ? AND status = 'SENDING' AND owner = ?",
                at.toString(), reason, responseStatus, responseBody, id, owner);
    }

    private boolean update(String sql, Object... args) {
        return locked(() -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    if (args[i] == null) {
                        ps.setNull(i + 1, Types.VARCHAR);
                    } else {
                        ps.setObject(i + 1, args[i]);
                    }
                }
                return ps.executeUpdate() == 1;
            }
        });
    }

    private static OutboxEntry entry(ResultSet rs) throws SQLException {
        long lease = rs.getLong(14);
        Instant leaseUntil = rs.wasNull() ? null : Instant.ofEpochMilli(lease);
        return new OutboxEntry(rs.getString(1), rs.getLong(2), IncidentActionJson.read(rs.getString(3)),
                OutboxEntry.Status.valueOf(rs.getString(4)), instant(rs.getString(5)), rs.getInt(6),
                instant(rs.getString(7)), rs.getString(8), rs.getInt(9), rs.getString(10), instant(rs.getString(11)),
                rs.getString(12), rs.getString(13), leaseUntil);
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

    /** A read-then-write as one {@code BEGIN IMMEDIATE} transaction: other processes wait for it (busy timeout). */
    private <T> T transaction(Sql<T> body) {
        return locked(() -> {
            try (var s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
            try {
                T out = body.run();
                try (var s = c.createStatement()) {
                    s.execute("COMMIT");
                }
                return out;
            } catch (SQLException | RuntimeException e) {
                try (var s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
                throw e;
            }
        });
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static Instant instant(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
