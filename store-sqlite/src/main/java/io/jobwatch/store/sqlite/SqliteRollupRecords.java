package io.jobwatch.store.sqlite;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.RollupLine;
import io.jobwatch.core.store.RollupLine.IncidentLine;
import io.jobwatch.core.store.RollupLine.RunLine;
import io.jobwatch.core.store.RollupRecords;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * {@link RollupRecords} in the run store's SQLite file (tables {@code rollup_*}, {@link Schema} migration 8), on the
 * run records' connection: a line the apply path writes is in the same transaction as the run it comes from. Storage
 * only; the rules are core's {@code Rollups}. A single line is an upsert that keeps the greater version; a day from
 * the pass replaces the day's {@code rollup_runs} rows in one transaction.
 */
public final class SqliteRollupRecords implements RollupRecords {
    private final SqliteRunRecords db;
    private final Connection c;
    private final Path path;
    private final PreparedStatement upsertLine;
    private final PreparedStatement insertRun;
    private final PreparedStatement deleteRuns;

    SqliteRollupRecords(SqliteRunRecords db, Connection c, Path path) throws SQLException {
        this.db = db;
        this.c = c;
        this.path = path;
        upsertLine = c.prepareStatement("INSERT INTO rollup_lines (day, job_id, kind, line_key, version, state, duration_s,"
                + " minutes, resolved, total_minutes, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (day, job_id, kind, line_key) DO UPDATE SET version = excluded.version,"
                + " state = excluded.state, duration_s = excluded.duration_s, minutes = excluded.minutes,"
                + " resolved = excluded.resolved, total_minutes = excluded.total_minutes, expires_at = excluded.expires_at"
                + " WHERE excluded.version > rollup_lines.version");
        insertRun = c.prepareStatement("INSERT OR REPLACE INTO rollup_runs (day, job_id, run_key, version, state, duration_s,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
        deleteRuns = c.prepareStatement("DELETE FROM rollup_runs WHERE day = ?");
    }

    @Override
    public void putDay(LocalDate day, List<JobLines> jobs, Instant expiresAt) {
        db.inBatch(() -> {
            deleteRuns.setString(1, day.toString());
            deleteRuns.executeUpdate();
            for (JobLines j : jobs) {
                for (RunLine l : j.lines()) {
                    insertRun.setString(1, day.toString());
                    insertRun.setString(2, j.job().id());
                    insertRun.setString(3, l.key());
                    insertRun.setLong(4, l.version());
                    setText(insertRun, 5, l.state() == null ? null : l.state().name());
                    setLong(insertRun, 6, l.seconds());
                    insertRun.setLong(7, expiresAt.toEpochMilli());
                    insertRun.addBatch();
                }
            }
            insertRun.executeBatch();
            return null;
        });
    }

    @Override
    public void putLine(JobKey job, LocalDate day, RollupLine line, Instant expiresAt) {
        db.inBatch(() -> {
            upsertLine.setString(1, day.toString());
            upsertLine.setString(2, job.id());
            upsertLine.setLong(5, line.version());
            upsertLine.setString(4, line.key());
            upsertLine.setLong(11, expiresAt.toEpochMilli());
            if (line instanceof RunLine r) {
                upsertLine.setString(3, "r");
                setText(upsertLine, 6, r.state() == null ? null : r.state().name());
                setLong(upsertLine, 7, r.seconds());
                setLong(upsertLine, 8, null);
                setLong(upsertLine, 9, null);
                setLong(upsertLine, 10, null);
            } else if (line instanceof IncidentLine i) {
                upsertLine.setString(3, "i");
                setText(upsertLine, 6, null);
                setLong(upsertLine, 7, null);
                upsertLine.setLong(8, i.minutes());
                upsertLine.setLong(9, i.resolved() ? 1 : 0);
                upsertLine.setLong(10, i.totalMinutes());
            }
            upsertLine.executeUpdate();
            return null;
        });
    }

    @Override
    public void read(LocalDate from, LocalDate to, JobKey job, Instant now, Consumer<StoredDay> sink) {
        Map<LocalDate, Map<JobKey, List<RunLine>>> runs = new TreeMap<>();
        Map<LocalDate, List<JobLine>> lines = new TreeMap<>();
        db.locked("cannot read rollups from " + path, () -> {
            String jobFilter = job == null ? "" : " AND job_id = ?";
            try (PreparedStatement ps = c.prepareStatement("SELECT day, job_id, run_key, version, state, duration_s"
                    + " FROM rollup_runs WHERE day >= ? AND day <= ? AND expires_at > ?" + jobFilter
                    + " ORDER BY day, job_id, run_key")) {
                bindRange(ps, from, to, now, job);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        runs.computeIfAbsent(LocalDate.parse(rs.getString(1)), k -> new LinkedHashMap<>())
                                .computeIfAbsent(JobKey.parse(rs.getString(2)), k -> new ArrayList<>())
                                .add(new RunLine(rs.getString(3), rs.getLong(4), state(rs.getString(5)), longOrNull(rs, 6)));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT day, job_id, kind, line_key, version, state, duration_s,"
                    + " minutes, resolved, total_minutes FROM rollup_lines WHERE day >= ? AND day <= ? AND expires_at > ?"
                    + jobFilter + " ORDER BY day, job_id, kind, line_key")) {
                bindRange(ps, from, to, now, job);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        RollupLine line = rs.getString(3).equals("r")
                                ? new RunLine(rs.getString(4), rs.getLong(5), state(rs.getString(6)), longOrNull(rs, 7))
                                : new IncidentLine(rs.getString(4), rs.getLong(8), rs.getLong(9) == 1, rs.getLong(10));
                        lines.computeIfAbsent(LocalDate.parse(rs.getString(1)), k -> new ArrayList<>())
                                .add(new JobLine(JobKey.parse(rs.getString(2)), line));
                    }
                }
            }
            return null;
        });
        java.util.TreeSet<LocalDate> days = new java.util.TreeSet<>(runs.keySet());
        days.addAll(lines.keySet());
        for (LocalDate d : days) {
            List<JobLines> mat = new ArrayList<>();
            runs.getOrDefault(d, Map.of()).forEach((j, l) -> mat.add(new JobLines(j, l)));
            sink.accept(new StoredDay(d, mat, lines.getOrDefault(d, List.of())));
        }
    }

    private static void bindRange(PreparedStatement ps, LocalDate from, LocalDate to, Instant now, JobKey job)
            throws SQLException {
        ps.setString(1, from.toString());
        ps.setString(2, to.toString());
        ps.setLong(3, now.toEpochMilli());
        if (job != null) {
            ps.setString(4, job.id());
        }
    }

    // ---- open intervals, changed days, the pass -------------------------------------------------------------------

    @Override
    public void putOpen(OpenInterval o) {
        writeOpen("INSERT OR REPLACE INTO rollup_open (job_id, kind, incident, since) VALUES (?, ?, ?, ?)", o);
    }

    @Override
    public void removeOpen(OpenInterval o) {
        writeOpen("DELETE FROM rollup_open WHERE job_id = ? AND kind = ? AND incident = ? AND since = ?", o);
    }

    /** One statement whose four parameters are the interval's job, kind, incident and start. */
    private void writeOpen(String sql, OpenInterval o) {
        db.inBatch(() -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, o.job().id());
                ps.setString(2, o.kind());
                ps.setString(3, o.incident().toString());
                ps.setString(4, o.since().toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<OpenInterval> open(JobKey job, String kind) {
        return openWhere(" WHERE job_id = ? AND kind = ?", job.id(), kind).stream().findFirst();
    }

    @Override
    public List<OpenInterval> openIntervals() {
        return openWhere("", new String[0]);
    }

    private List<OpenInterval> openWhere(String where, String... args) {
        return db.locked("cannot read open incident intervals from " + path, () -> {
            List<OpenInterval> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT job_id, kind, incident, since FROM rollup_open" + where
                    + " ORDER BY job_id, kind")) {
                for (int i = 0; i < args.length; i++) {
                    ps.setString(i + 1, args[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new OpenInterval(JobKey.parse(rs.getString(1)), rs.getString(2),
                                Instant.parse(rs.getString(3)), Instant.parse(rs.getString(4))));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void markChanged(LocalDate day, Instant at) {
        db.inBatch(() -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollup_changed (day, at) VALUES (?, ?)"
                    + " ON CONFLICT (day) DO UPDATE SET at = excluded.at WHERE excluded.at > rollup_changed.at")) {
                ps.setString(1, day.toString());
                ps.setString(2, fixed(at));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ChangedDay> changedDays() {
        return db.locked("cannot read changed rollup days from " + path, () -> {
            List<ChangedDay> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT day, at FROM rollup_changed ORDER BY day");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new ChangedDay(LocalDate.parse(rs.getString(1)), Instant.parse(rs.getString(2))));
                }
            }
            return out;
        });
    }

    @Override
    public void clearChanged(ChangedDay d) {
        db.inBatch(() -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM rollup_changed WHERE day = ? AND at = ?")) {
                ps.setString(1, d.day().toString());
                ps.setString(2, fixed(d.at()));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public Optional<LocalDate> lastPass() {
        return db.locked("cannot read the last rollup pass from " + path, () -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT day FROM rollup_pass WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(LocalDate.parse(rs.getString(1))) : Optional.<LocalDate>empty();
            }
        });
    }

    @Override
    public void passed(LocalDate day) {
        db.inBatch(() -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO rollup_pass (id, day) VALUES (1, ?)"
                    + " ON CONFLICT (id) DO UPDATE SET day = excluded.day WHERE excluded.day > rollup_pass.day")) {
                ps.setString(1, day.toString());
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        return db.purgeExpired(now);
    }

    /** Deletes expired lines; called by the run records' purge (under its lock, in its transaction). */
    int purgeLocked(long nowMillis) throws SQLException {
        int n = 0;
        for (String table : List.of("rollup_runs", "rollup_lines")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE expires_at <= ?")) {
                ps.setLong(1, nowMillis);
                n += ps.executeUpdate();
            }
        }
        return n;
    }

    // ---- values --------------------------------------------------------------------------------------------------

    /** Instants as fixed-width text (nanoseconds always written), so that text order is time order. */
    private static String fixed(Instant t) {
        return java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
                .withZone(java.time.ZoneOffset.UTC).format(t);
    }

    private static RunState state(String s) {
        return s == null ? null : RunState.valueOf(s);
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setLong(i, v);
        }
    }

    private static void setText(PreparedStatement ps, int i, String v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.VARCHAR);
        } else {
            ps.setString(i, v);
        }
    }
}
