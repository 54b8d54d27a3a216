package io.jobwatch.core.sla;

import static io.jobwatch.core.sla.SlaFixtures.JOB;
import static io.jobwatch.core.sla.SlaFixtures.OTHER;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BreachStore} adapter must show. Shipped in core's test-jar: an adapter's test extends
 * this and returns a fresh, empty store from {@link #newStore()}.
 */
public abstract class BreachStoreContract {
    protected static final Instant T0 = Instant.parse("2026-03-03T06:00:00Z");
    protected BreachStore store;

    /** A new, empty store (fresh file / table). */
    protected abstract BreachStore newStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    protected static Breach breach(JobKey job, BreachKind kind, String runId, Confidence confidence, boolean pages) {
        return new Breach(job, kind, T0, T0.plusSeconds(1800), "expected at 06:00 UTC, not started — ünïcode ok",
                confidence, runId, pages);
    }

    @Test
    void active_isEmpty_forANewStore() {
        assertThat(store.active()).isEmpty();
    }

    @Test
    void raise_thenActive_returnsEveryField_includingNulls() {
        Breach missing = breach(JOB, BreachKind.MISSING, null, Confidence.HIGH, true);
        Breach learned = breach(OTHER, BreachKind.LONG_RUNNING, "jr_9", Confidence.LOW, false);
        store.raise(missing);
        store.raise(learned);
        assertThat(store.active()).containsExactly(learned.job().id().compareTo(missing.job().id()) < 0
                ? new Breach[] {learned, missing} : new Breach[] {missing, learned});
    }

    @Test
    void active_isOrderedByJobIdThenKind() {
        store.raise(breach(OTHER, BreachKind.TOO_SHORT, "r", Confidence.LOW, false));
        store.raise(breach(JOB, BreachKind.LONG_RUNNING, "r", Confidence.HIGH, true));
        store.raise(breach(JOB, BreachKind.MISSING, null, Confidence.HIGH, true));
        store.raise(breach(JOB, BreachKind.LATE, "r", Confidence.HIGH, true));
        assertThat(store.active()).extracting(b -> b.job().jobName() + "/" + b.kind()).containsExactly(
                "fin-close-reconciliation/MISSING", "fin-close-reconciliation/LATE",
                "fin-close-reconciliation/LONG_RUNNING", "analytics-sessions-rebuild/TOO_SHORT");
    }

    @Test
    void raise_replacesTheBreachOfTheSameJobAndKind_only() {
        store.raise(breach(JOB, BreachKind.MISSING, null, Confidence.HIGH, true));
        store.raise(breach(JOB, BreachKind.LATE, "r1", Confidence.HIGH, true));
        Breach newer = new Breach(JOB, BreachKind.MISSING, T0.plusSeconds(86_400), T0.plusSeconds(90_000), "next day",
                Confidence.HIGH, null, true);
        store.raise(newer);
        assertThat(store.active()).hasSize(2).contains(newer);
    }

    @Test
    void clear_removesOnlyThatJobAndKind_andIgnoresUnknownOnes() {
        store.raise(breach(JOB, BreachKind.MISSING, null, Confidence.HIGH, true));
        store.raise(breach(JOB, BreachKind.LATE, "r1", Confidence.HIGH, true));
        store.raise(breach(OTHER, BreachKind.MISSING, null, Confidence.HIGH, true));
        store.clear(JOB, BreachKind.MISSING);
        store.clear(JOB, BreachKind.TOO_SHORT);
        assertThat(store.active()).extracting(b -> b.job().jobName() + "/" + b.kind())
                .containsExactlyInAnyOrder("fin-close-reconciliation/LATE", "analytics-sessions-rebuild/MISSING");
    }
}
