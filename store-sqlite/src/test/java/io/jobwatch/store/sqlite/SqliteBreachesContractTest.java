package io.jobwatch.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.sla.BreachKind;
import io.jobwatch.core.sla.BreachStore;
import io.jobwatch.core.sla.BreachStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared BreachStore contract on the SQLite file, plus: raised breaches survive a restart. */
class SqliteBreachesContractTest extends BreachStoreContract {
    @TempDir
    Path dir;
    private final List<SqliteBreaches> opened = new ArrayList<>();

    @Override
    protected BreachStore newStore() {
        SqliteBreaches s = new SqliteBreaches(dir.resolve("jobwatch.db"));
        opened.add(s);
        return s;
    }

    @AfterEach
    void close() {
        opened.forEach(SqliteBreaches::close);
    }

    @Test
    void raisedBreaches_surviveAReopen() {
        BreachStore first = newStore();
        first.raise(breach(io.jobwatch.core.incident.IncidentFixtures.LEDGER, BreachKind.MISSING,
                null, io.jobwatch.core.sla.Confidence.HIGH, true));
        assertThat(newStore().active()).hasSize(1);
    }
}
