package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.jobwatch.core.incident.IncidentFixtures.LEDGER;
import static io.jobwatch.core.incident.IncidentFixtures.ORDERS;
import static io.jobwatch.core.incident.IncidentFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link IncidentStore} adapter must show. An adapter's test extends this and returns a fresh,
 * empty store from {@link #newStore()}.
 */
public abstract class IncidentStoreContract {
    protected IncidentStore store;

    /** A new empty store (fresh file / table). */
    protected abstract IncidentStore newStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    @Test
    void find_isEmpty_forUnknownJob() {
        assertThat(store.find(LEDGER, ProblemKind.FAILURE)).isEmpty();
    }

    @Test
    void save_thenFind_returnsEveryField() {
        IncidentRecord r = new IncidentRecord(LEDGER, ProblemKind.FAILURE, "glue-job:234567890123:eu-west-1:fin-ledger-load",
                "a3f5c2e14f8b4210b7d9e6c0a1b2c3d4", "INC0010423", IncidentRecord.State.RESOLVED, T0,
                T0.plusSeconds(60), T0.plusSeconds(120), 0, 2, T0.plusSeconds(90), "jr_0a1b");
        store.save(r);
        assertThat(store.find(LEDGER, ProblemKind.FAILURE)).contains(r);
    }

    @Test
    void save_keepsNullsOfAnUnsentIncident() {
        IncidentRecord r = IncidentFixtures.openRecord(LEDGER, T0);
        store.save(r);
        assertThat(store.find(LEDGER, ProblemKind.FAILURE)).contains(r);
    }

    @Test
    void save_replacesTheRecordOfTheSameJobAndKind() {
        store.save(IncidentFixtures.openRecord(LEDGER, T0));
        IncidentRecord withTicket = IncidentFixtures.openRecord(LEDGER, T0).withTicket("abc", "INC1");
        store.save(withTicket);
        assertThat(store.find(LEDGER, ProblemKind.FAILURE)).contains(withTicket);
        assertThat(store.open()).containsExactly(withTicket);
    }

    @Test
    void find_keepsKindsAndJobsApart() {
        IncidentRecord failure = IncidentFixtures.openRecord(LEDGER, T0);
        IncidentRecord late = new IncidentRecord(LEDGER, ProblemKind.LATE, CorrelationIds.of(LEDGER, ProblemKind.LATE), null,
                null, IncidentRecord.State.OPEN, T0, T0, null, 1, 0, T0, null);
        store.save(failure);
        store.save(late);
        assertThat(store.find(LEDGER, ProblemKind.FAILURE)).contains(failure);
        assertThat(store.find(LEDGER, ProblemKind.LATE)).contains(late);
        assertThat(store.find(ORDERS, ProblemKind.FAILURE)).isEmpty();
    }

    @Test
    void open_listsOnlyOpenRecords_oldestFirst() {
        JobKey third = new JobKey("345678901234", "us-east-1", LEDGER.source(), "analytics-sessions-rebuild");
        Instant t1 = T0.plusSeconds(10);
        store.save(IncidentFixtures.openRecord(ORDERS, t1));
        store.save(IncidentFixtures.openRecord(LEDGER, T0));
        IncidentRecord resolved = IncidentFixtures.openRecord(third, T0);
        store.save(new IncidentRecord(third, ProblemKind.FAILURE, resolved.correlationId(), "s", "INC2",
                IncidentRecord.State.RESOLVED, T0, T0, T0, 0, 1, T0, null));
        assertThat(store.open()).extracting(IncidentRecord::job).containsExactly(LEDGER, ORDERS);
    }
}
