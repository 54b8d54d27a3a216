package io.jobwatch.core.incident;

import static io.jobwatch.core.incident.IncidentFixtures.LEDGER;
import static io.jobwatch.core.incident.IncidentFixtures.ORDERS;
import static io.jobwatch.core.incident.IncidentFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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

    private static IncidentRecord full() {
        return new IncidentRecord(LEDGER, ProblemKind.FAILURE, "glue-job:234567890123:eu-west-1:fin-ledger-load",
                "a3f5c2e14f8b4210b7d9e6c0a1b2c3d4", "INC0010423", IncidentRecord.State.RESOLVED, T0,
                T0.plusSeconds(60), T0.plusSeconds(120), 0, 2, T0.plusSeconds(90), "jr_0a1b");
    }

    @Test
    void load_isEmpty_forUnknownJob() {
        assertThat(store.load(LEDGER, ProblemKind.FAILURE)).isEmpty();
    }

    @Test
    void save_thenLoad_returnsEveryField() {
        IncidentAction open = IncidentFixtures.open(LEDGER, "jr_1");
        IncidentState s = new IncidentState(full(), 1, List.of(new IncidentState.PendingAction(IncidentState.keyOf(open),
                1, open)), List.of("jr_1", "jr_2"), Map.of(T0.minusSeconds(86_400), new IncidentState.Ticket("s0", "INC1")));
        assertThat(store.save(s, 0)).isTrue();
        assertThat(store.load(LEDGER, ProblemKind.FAILURE)).contains(s);
    }

    @Test
    void save_keepsNullsOfAnUnsentIncident() {
        IncidentState s = IncidentState.of(IncidentFixtures.openRecord(LEDGER, T0));
        store.save(s, 0);
        assertThat(store.load(LEDGER, ProblemKind.FAILURE)).contains(s);
    }

    @Test
    void save_onlyOverTheVersionItRead() {
        IncidentState v1 = IncidentState.of(IncidentFixtures.openRecord(LEDGER, T0));
        assertThat(store.save(v1, 0)).isTrue();
        assertThat(store.save(v1, 0)).as("a first save when one exists").isFalse();
        IncidentState v2 = new IncidentState(v1.record().withTicket("abc", "INC1"), 2, List.of(), List.of(), Map.of());
        assertThat(store.save(v2, 5)).as("over a version it did not read").isFalse();
        assertThat(store.load(LEDGER, ProblemKind.FAILURE)).contains(v1);
        assertThat(store.save(v2, 1)).isTrue();
        assertThat(store.load(LEDGER, ProblemKind.FAILURE)).contains(v2);
        assertThat(store.open()).containsExactly(v2.record());
    }

    @Test
    void save_fromEightWritersOverOneVersion_isWonByOne() throws Exception {
        store.save(IncidentState.of(IncidentFixtures.openRecord(LEDGER, T0)), 0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Boolean>> wins = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                IncidentRecord r = new IncidentRecord(LEDGER, ProblemKind.FAILURE, IncidentFixtures.openRecord(LEDGER, T0)
                        .correlationId(), null, null, IncidentRecord.State.OPEN, T0, T0.plusSeconds(i), null, 1 + i, 0,
                        T0, "jr_" + i);
                wins.add(pool.submit(() -> {
                    go.await();
                    return store.save(new IncidentState(r, 2, List.of(), List.of(), Map.of()), 1);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> w : wins) {
                won += w.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(won).isEqualTo(1);
            assertThat(store.load(LEDGER, ProblemKind.FAILURE).orElseThrow().version()).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void relayed_dropsThosePendingActions_andKeepsTheVersion() {
        IncidentAction open = IncidentFixtures.open(LEDGER, "jr_1");
        IncidentAction update = IncidentFixtures.update(LEDGER, "jr_2");
        IncidentState s = new IncidentState(IncidentFixtures.openRecord(LEDGER, T0), 3, List.of(
                new IncidentState.PendingAction(IncidentState.keyOf(open), 2, open),
                new IncidentState.PendingAction(IncidentState.keyOf(update), 3, update)), List.of(), Map.of());
        store.save(s, 0);
        store.relayed(LEDGER, ProblemKind.FAILURE, List.of(IncidentState.keyOf(open)));
        IncidentState after = store.load(LEDGER, ProblemKind.FAILURE).orElseThrow();
        assertThat(after.pending()).extracting(IncidentState.PendingAction::key).containsExactly(IncidentState.keyOf(update));
        assertThat(after.version()).isEqualTo(3);
        assertThat(after.record()).isEqualTo(s.record());
    }

    @Test
    void rememberTicket_writesTheSysIdOnce_andKeepsAnOlderIncidentsTicketAside() {
        IncidentRecord rec = IncidentFixtures.openRecord(LEDGER, T0);
        store.save(IncidentState.of(rec), 0);
        IncidentRef ref = IncidentFixtures.ref(LEDGER, T0, null);
        assertThat(store.rememberTicket(ref, new IncidentState.Ticket("s1", "INC1"), T0)).isTrue();
        assertThat(store.rememberTicket(ref, new IncidentState.Ticket("s2", "INC2"), T0)).as("once").isFalse();
        IncidentState s = store.load(LEDGER, ProblemKind.FAILURE).orElseThrow();
        assertThat(s.record().sysId()).isEqualTo("s1");
        assertThat(s.record().number()).isEqualTo("INC1");
        assertThat(s.version()).as("a decision made before it saves again").isEqualTo(2);

        // The record moved on to a newer incident before the older one's actions were sent.
        Instant older = T0.minusSeconds(3600);
        assertThat(store.rememberTicket(IncidentFixtures.ref(LEDGER, older, null), new IncidentState.Ticket("s0", "INC0"),
                T0)).isTrue();
        IncidentState after = store.load(LEDGER, ProblemKind.FAILURE).orElseThrow();
        assertThat(after.record().sysId()).isEqualTo("s1");
        assertThat(after.ticketOf(IncidentFixtures.ref(LEDGER, older, null))).isEqualTo(new IncidentState.Ticket("s0", "INC0"));
        assertThat(after.ticketOf(ref)).isEqualTo(new IncidentState.Ticket("s1", "INC1"));
    }

    @Test
    void load_keepsKindsAndJobsApart() {
        IncidentState failure = IncidentState.of(IncidentFixtures.openRecord(LEDGER, T0));
        IncidentState late = IncidentState.of(new IncidentRecord(LEDGER, ProblemKind.LATE,
                CorrelationIds.of(LEDGER, ProblemKind.LATE), null, null, IncidentRecord.State.OPEN, T0, T0, null, 1, 0,
                T0, null));
        store.save(failure, 0);
        store.save(late, 0);
        assertThat(store.load(LEDGER, ProblemKind.FAILURE)).contains(failure);
        assertThat(store.load(LEDGER, ProblemKind.LATE)).contains(late);
        assertThat(store.load(ORDERS, ProblemKind.FAILURE)).isEmpty();
    }

    @Test
    void open_listsOnlyOpenRecords_oldestFirst() {
        JobKey third = new JobKey("345678901234", "us-east-1", LEDGER.source(), "analytics-sessions-rebuild");
        Instant t1 = T0.plusSeconds(10);
        store.save(IncidentState.of(IncidentFixtures.openRecord(ORDERS, t1)), 0);
        store.save(IncidentState.of(IncidentFixtures.openRecord(LEDGER, T0)), 0);
        IncidentRecord resolved = IncidentFixtures.openRecord(third, T0);
        store.save(IncidentState.of(new IncidentRecord(third, ProblemKind.FAILURE, resolved.correlationId(), "s", "INC2",
                IncidentRecord.State.RESOLVED, T0, T0, T0, 0, 1, T0, null)), 0);
        assertThat(store.open()).extracting(IncidentRecord::job).containsExactly(LEDGER, ORDERS);
    }
}
