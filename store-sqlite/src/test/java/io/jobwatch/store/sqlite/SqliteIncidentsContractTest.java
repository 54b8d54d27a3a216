package io.jobwatch.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.incident.IncidentFixtures;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.IncidentStoreContract;
import io.jobwatch.core.incident.Outbox;
import io.jobwatch.core.incident.OutboxContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared incident store and outbox contracts on the SQLite file, plus durability across a reopen. */
class SqliteIncidentsContractTest {
    @TempDir
    Path dir;
    private final List<SqliteIncidents> opened = new ArrayList<>();

    private SqliteIncidents open() {
        SqliteIncidents s = new SqliteIncidents(dir.resolve("jobwatch.db"));
        opened.add(s);
        return s;
    }

    @AfterEach
    void close() {
        opened.forEach(SqliteIncidents::close);
    }

    @Nested
    class IncidentStoreOnSqlite extends IncidentStoreContract {
        @Override
        protected IncidentStore newStore() {
            return open();
        }
    }

    @Nested
    class OutboxOnSqlite extends OutboxContract {
        @Override
        protected Outbox newOutbox() {
            return open();
        }
    }

    @Test
    void pendingActionsAndRecords_surviveAReopen_inTheRunStoresFile() {
        Path db = dir.resolve("jobwatch.db");
        try (SqliteRunStore runs = new SqliteRunStore(db, java.time.Clock.systemUTC(), java.time.Duration.ofDays(7))) {
            SqliteIncidents first = open();
            var open = IncidentFixtures.open(IncidentFixtures.LEDGER, "jr_1");
            var update = IncidentFixtures.update(IncidentFixtures.LEDGER, "jr_2");
            first.append(io.jobwatch.core.incident.IncidentState.keyOf(open), 1, open, IncidentFixtures.T0);
            first.append(io.jobwatch.core.incident.IncidentState.keyOf(update), 2, update, IncidentFixtures.T0.plusSeconds(60));
            first.save(io.jobwatch.core.incident.IncidentState.of(
                    IncidentFixtures.openRecord(IncidentFixtures.LEDGER, IncidentFixtures.T0)), 0);
            first.close();
            opened.remove(first);

            SqliteIncidents again = open();
            assertThat(again.pending()).extracting(e -> e.action().getClass().getSimpleName()).containsExactly("Open", "Update");
            assertThat(again.open()).hasSize(1);
            assertThat(runs.latestPerJob()).isEmpty();
        }
    }
}
