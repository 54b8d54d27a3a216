package io.jobwatch.store.sqlite;

import io.jobwatch.core.digest.DeliveryLog;
import io.jobwatch.core.store.RunStoreException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** Digest delivery outcomes per team, in the run store's SQLite file (its own connection, like the breaches). */
public final class SqliteDeliveryLog implements DeliveryLog, AutoCloseable {
    private final Connection c;

    public SqliteDeliveryLog(Path db) {
        try {
            c = Schema.open(db);
        } catch (SQLException e) {
            throw new RunStoreException("cannot open the digest delivery log " + db + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized boolean previousFailed(String team) {
        try (PreparedStatement ps = c.prepareStatement("SELECT failed FROM digest_deliveries WHERE team = ?")) {
            ps.setString(1, Objects.requireNonNull(team, "team"));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) != 0;
            }
        } catch (SQLException e) {
            throw new RunStoreException("digest delivery log: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void record(String team, Instant windowEnd, boolean failed) {
        try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO digest_deliveries (team, window_end,"
                + " failed) VALUES (?, ?, ?)")) {
            ps.setString(1, Objects.requireNonNull(team, "team"));
            ps.setString(2, windowEnd.toString());
            ps.setInt(3, failed ? 1 : 0);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new RunStoreException("digest delivery log: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Map<String, Instant> lastWindowEnds() {
        Map<String, Instant> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT team, window_end FROM digest_deliveries ORDER BY team");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), Instant.parse(rs.getString(2)));
            }
        } catch (SQLException e) {
            throw new RunStoreException("digest delivery log: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public synchronized void close() {
        try {
            c.close();
        } catch (SQLException e) {
            throw new RunStoreException("digest delivery log: " + e.getMessage(), e);
        }
    }
}
