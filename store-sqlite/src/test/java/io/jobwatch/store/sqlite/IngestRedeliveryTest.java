package io.jobwatch.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentPolicy;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.Outcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store commits a batch before its incident decisions are written; a process killed in between leaves finished
 * runs undecided. The sender's retry of those events then arrives as duplicates and must still be decided — once.
 */
class IngestRedeliveryTest {
    static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");
    static final JobKey JOB = new JobKey("123456789012", "eu-west-1", JobSource.GLUE_JOB, "erp-orders-load");

    @TempDir
    Path dir;
    final Clock clock = Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC);
    SqliteRunStore store;
    SqliteIncidents incidents;
    IngestPipeline pipeline;

    @BeforeEach
    void open() {
        Path db = dir.resolve("jobwatch.db");
        store = new SqliteRunStore(db, clock, Duration.ofDays(7));
        incidents = new SqliteIncidents(db);
        pipeline = new IngestPipeline(store, null,
                new IncidentTracker(new IncidentPolicy(clock), incidents, incidents, clock));
    }

    @AfterEach
    void close() {
        store.close();
        incidents.close();
    }

    static RunEvent event(String id, String runId, RunState state, int minute) {
        Instant t = T0.plus(Duration.ofMinutes(minute));
        return new RunEvent(id, JOB, runId, state, state.name(), t, T0, state.terminal() ? t : null,
                state.failed() ? "boom" : null);
    }

    @Test
    void redeliveredFailure_ofARunStoredButNeverDecided_opensTheIncident_once() {
        List<RunEvent> batch = List.of(event("e1", "jr_1", RunState.RUNNING, 0), event("e2", "jr_1", RunState.FAILED, 5));
        store.applyAll(batch); // what a kill between the store's commit and the decisions leaves behind
        assertThat(incidents.pending()).isEmpty();

        IngestPipeline.Result retry = pipeline.ingest(batch);

        assertThat(retry.applied()).extracting(r -> r.outcome()).containsOnly(Outcome.DUPLICATE);
        assertThat(incidents.pending()).extracting(OutboxEntry::action).singleElement()
                .isInstanceOf(IncidentAction.Open.class);

        IngestPipeline.Result again = pipeline.ingest(batch);

        assertThat(again.actions()).isZero();
        assertThat(incidents.pending()).hasSize(1);
    }

    @Test
    void duplicateOfAnAlreadyDecidedEnd_sendsNothing() {
        List<RunEvent> batch = List.of(event("e1", "jr_1", RunState.FAILED, 5));
        assertThat(pipeline.ingest(batch).actions()).isEqualTo(1);

        assertThat(pipeline.ingest(batch).actions()).isZero();
        assertThat(pipeline.ingest(List.of(event("e1", "jr_1", RunState.FAILED, 5))).actions()).isZero();
        assertThat(incidents.pending()).hasSize(1);
    }

    @Test
    void duplicateOfANonTerminalEvent_isNotJudged() {
        pipeline.ingest(List.of(event("e1", "jr_1", RunState.RUNNING, 0)));

        IngestPipeline.Result dup = pipeline.ingest(List.of(event("e1", "jr_1", RunState.RUNNING, 0)));

        assertThat(dup.decisions()).isEmpty();
    }
}
