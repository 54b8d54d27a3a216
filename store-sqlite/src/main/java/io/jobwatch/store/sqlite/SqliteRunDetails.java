package io.jobwatch.store.sqlite;

import io.jobwatch.core.detail.RunDetail;
import io.jobwatch.core.detail.RunDetails;
import io.jobwatch.core.run.RunKey;
import io.jobwatch.core.store.RunStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Run details (ping bodies, lineage parents) in the run store's SQLite file, on their own connection like the breaches
 * and the delivery log. Table {@code run_details}, keyed by job, run and detail id; expired rows are deleted as new
 * ones arrive (at most once a minute). The table is created here when missing, so an older database gains it on open.
 */
public final class SqliteRunDetails implements RunDetails {
    private final Connection c;
    private Instant lastPurge = Instant.EPOCH;

    public SqliteRunDetails(Path db) {
        try {
            c = Schema.open(db);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS run_details (job_id TEXT NOT NULL, run_id TEXT NOT NULL,"
                        + " detail_id TEXT NOT NULL, at TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,"
                        + " expires_at TEXT NOT NULL, PRIMARY KEY (job_id, run_id, detail_id))");
            }
        } catch (SQLException e) {
            throw new RunStoreException("cannot open the run details in " + db + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void add(RunDetail d, Instant expiresAt) {
        Objects.requireNonNull(d, "detail");
        try {
            if (Instant.now().isAfter(lastPurge.plusSeconds(60))) {
                // Expiry on the wall clock: rows a day or so past their end go at the next add.
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM run_details WHERE expires_at <= ?")) {
                    ps.setString(1, Instant.now().toString());
                    ps.executeUpdate();
                }
                lastPurge = Instant.now();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO run_details (job_id, run_id, detail_id,"
                    + " at, kind, text, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, d.run().job().id());
                ps.setString(2, d.run().runId());
                ps.setString(3, d.id());
                ps.setString(4, d.at().toString());
                ps.setString(5, d.kind().name());
                ps.setString(6, d.text());
                ps.setString(7, expiresAt.toString());
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new RunStoreException("run details: cannot add a detail of " + d.run().job().id() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<RunDetail> of(RunKey run, Instant now) {
        List<RunDetail> out = new ArrayList<>();
        // ISO-8601 instants of one precision compare as text in time order, but precisions differ: compare as instants.
        try (PreparedStatement ps = c.prepareStatement("SELECT detail_id, at, kind, text, expires_at FROM run_details"
                + " WHERE job_id = ? AND run_id = ?")) {
            ps.setString(1, run.job().id());
            ps.setString(2, run.runId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (now.isBefore(Instant.parse(rs.getString(5)))) {
                        out.add(new RunDetail(run, rs.getString(1), Instant.parse(rs.getString(2)),
                                RunDetail.Kind.valueOf(rs.getString(3)), rs.getString(4)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new RunStoreException("run details: cannot read the details of " + run.job().id() + " run "
                    + run.runId() + ": " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(RunDetail::at).thenComparing(RunDetail::id));
        return Collections.unmodifiableList(new ArrayList<>(out.subList(Math.max(0, out.size() - MAX_PER_RUN), out.size())));
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new RunStoreException("run details: " + e.getMessage(), e);
        }
    }
}
