package io.jobwatch.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.incident.FakeIncidentGateway;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.ingest.FinishedRuns;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.dynamodb.testing.RequestCounter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What deciding and sending incidents costs on DynamoDB, per finished run, counted with an SDK interceptor: the
 * requests beside the run store's budget (1 write per event, 2 per terminal one). Deciding reads the incident record,
 * the job's runs and its summary; it writes only when the incident changes (one conditional PutItem of the record
 * with its action, one conditional PutItem of the outbox entry, one UpdateItem dropping the relayed action). Sending
 * claims, marks sent and remembers the ticket with conditional UpdateItems.
 */
class DynamoIncidentRequestsTest {
    private final RequestCounter counter = new RequestCounter();
    private DynamoDbClient client;
    private RunStore store;
    private DynamoIncidents incidents;
    private FinishedRuns judge;
    private OutboxProcessor sender;

    @BeforeEach
    void open() {
        client = Dynalite.shared().client(counter);
        String table = "decisions-" + System.identityHashCode(this);
        DynamoRunStore.createTable(client, table);
        TestClock clock = new TestClock(Instant.parse("2026-03-03T12:00:00Z"));
        store = new DynamoRunStore(client, table, clock, RunStore.DEFAULT_RETENTION);
        incidents = new DynamoIncidents(client, table, clock, RunStore.DEFAULT_RETENTION);
        judge = new FinishedRuns(null, new IncidentTracker(new IncidentPolicy(clock), incidents, incidents, clock));
        sender = new OutboxProcessor(new FakeIncidentGateway(), incidents, incidents, clock, RetryBackoff.defaults());
    }

    @AfterEach
    void close() {
        client.close();
    }

    private Map<String, Long> decide(RunEvent finished) {
        ApplyResult r = store.apply(finished);
        counter.reset();
        judge.judge(r.run(), finished.eventId(), store);
        return counter.snapshot();
    }

    @Test
    void aSuccessOfAHealthyJob_readsThreeTimes_andWritesNothing() {
        Map<String, Long> sent = decide(StoreFixtures.finished("s1", StoreFixtures.GLUE, "jr_1", RunState.SUCCEEDED,
                StoreFixtures.T0, StoreFixtures.T0.plusSeconds(60)));
        assertThat(sent).containsExactlyInAnyOrderEntriesOf(Map.of("GetItem", 2L, "Query", 1L));
    }

    @Test
    void aFailureThatOpens_writesTheRecordTheOutboxEntryAndTheRelay_thenSendingClaimsMarksAndRemembers() {
        Map<String, Long> decided = decide(StoreFixtures.finished("f1", StoreFixtures.GLUE, "jr_1", RunState.FAILED,
                StoreFixtures.T0, StoreFixtures.T0.plusSeconds(60)));
        // Reads: incident record, the job's runs, its summary, and the summary again (nothing changed meanwhile).
        assertThat(decided).containsExactlyInAnyOrderEntriesOf(Map.of("GetItem", 3L, "Query", 2L, "PutItem", 2L,
                "UpdateItem", 1L));

        counter.reset();
        assertThat(sender.drainDue().sent()).isEqualTo(1);
        // The pending list (Query), claim, the gateway's ticket remembered (record, then its sys_id), mark sent,
        // and the pending list again for the report.
        assertThat(counter.snapshot()).containsExactlyInAnyOrderEntriesOf(Map.of("Query", 2L, "UpdateItem", 4L));
    }

    @Test
    void aFailureWhileOpen_addsOneDecisionWrite_andNothingWhenJudgedAgain() {
        decide(StoreFixtures.finished("f1", StoreFixtures.GLUE, "jr_1", RunState.FAILED, StoreFixtures.T0,
                StoreFixtures.T0.plusSeconds(60)));
        sender.drainDue();
        RunEvent again = StoreFixtures.finished("f2", StoreFixtures.GLUE, "jr_2", RunState.FAILED,
                StoreFixtures.T0.plusSeconds(3600), StoreFixtures.T0.plusSeconds(3660));
        Map<String, Long> update = decide(again);
        assertThat(update.get("PutItem")).isEqualTo(2L);
        assertThat(update.get("UpdateItem")).isEqualTo(1L);

        counter.reset();
        judge.judge(store.get(again.runKey()).orElseThrow(), again.eventId(), store);
        assertThat(counter.count("PutItem") + counter.count("UpdateItem")).as("a run judged again writes nothing")
                .isZero();
    }
}
