package io.jobwatch.store.sqlite;

import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.BreachKind;
import io.jobwatch.core.sla.BreachStore;
import io.jobwatch.core.sla.Confidence;
import io.jobwatch.core.store.RunStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The SLA breaches currently raised, in the run store's SQLite file (its own connection, like the incidents). */
public final class SqliteBreaches implements BreachStore, AutoCloseable {
    private final Connection c;

    public SqliteBreaches(Path db) {
        try {
            c = Schema.open(db);
        } catch (SQLException e) {
            throw new RunStoreException("cannot open the breach store " + db + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized List<Breach> active() {
        List<Breach> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT job_id, kind, expected_at, detected_at, detail, confidence,"
                + " run_id, pages FROM breaches ORDER BY job_id, kind");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Breach(JobKey.parse(rs.getString(1)), BreachKind.valueOf(rs.getString(2)),
                        Instant.parse(rs.getString(3)), Instant.parse(rs.getString(4)), rs.getString(5),
                        Confidence.valueOf(rs.getString(6)), rs.getString(7), rs.getInt(8) != 0));
            }
            // Kinds in their declared order (the port's contract), not alphabetically.
            out.sort(java.util.Comparator.comparing((Breach b) -> b.job().id()).thenComparing(Breach::kind));
            return out;
        } catch (SQLException e) {
            throw new RunStoreException("breach store: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void raise(Breach b) {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO breaches (job_id, kind, expected_at,"
                + " detected_at, detail, confidence, run_id, pages) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, b.job().id());
            ps.setString(2, b.kind().name());
            ps.setString(3, b.expectedAt().toString());
            ps.setString(4, b.detectedAt().toString());
            ps.setString(5, b.detail());
            ps.setString(6, b.confidence().name());
            ps.setString(7, b.runId());
            ps.setInt(8, b.pages() ? 1 : 0);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RunStoreException("breach store: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void clear(JobKey job, BreachKind kind) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM breaches WHERE job_id = ? AND kind = ?")) {
            ps.setString(1, job.id());
            ps.setString(2, kind.name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RunStoreException("breach store: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new RunStoreException("breach store: " + e.getMessage(), e);
        }
    }
}
