package io.jobwatch.core.ingest;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.incident.IncidentDecision;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.RunStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The one ingest path every entry point shares (CLI, local server, Lambda, reconciler): store the events
 * idempotently, then turn each run that has just finished into a health transition for the incident tracker. The
 * tracker writes the decided action to the outbox; sending is the outbox processor's job, not ingest's. The
 * decision itself is {@link FinishedRuns}'s (shared with the Lambda outbox handler, which judges later).
 */
public final class IngestPipeline {
    private final RunStore store;
    private final FinishedRuns finished;

    /**
     * @param store     where runs live
     * @param catalog   the current catalog (hot-reloadable), or null: every failure is incident-worthy (the seed's rule)
     * @param incidents the incident tracker, or null when incidents are off
     */
    public IngestPipeline(RunStore store, Supplier<Catalog> catalog, IncidentTracker incidents) {
        this.store = Objects.requireNonNull(store, "store");
        this.finished = incidents == null ? null : new FinishedRuns(catalog, incidents);
    }

    /** What one batch did: a result per event, and the incident decisions of the runs it finished. */
    public record Result(List<ApplyResult> applied, List<IncidentDecision> decisions) {
        public long actions() {
            return decisions.stream().filter(d -> d.action() != null).count();
        }
    }

    public Result ingest(List<RunEvent> events) {
        List<ApplyResult> applied = store.applyAll(events);
        List<IncidentDecision> decisions = new ArrayList<>();
        if (finished != null) {
            for (int i = 0; i < applied.size(); i++) {
                ApplyResult r = applied.get(i);
                if (finishedRunChanged(r, events.get(i))) {
                    decisions.add(finished.judge(r.run(), events.get(i).eventId(), store));
                }
            }
        }
        return new Result(applied, decisions);
    }

    /**
     * Whether the event leaves a finished run to judge: it finished the run, or changed a finished run (e.g. told its
     * start late, which moves it in the job's run-time order), or it is a terminal event the store already had. The
     * last is judged again because the store commits a batch before its decisions are written: a process killed in
     * between leaves finished runs undecided, and the sender's retry arrives as duplicates. Judging converges the
     * incident towards what the runs imply, so judging again decides nothing new.
     */
    private static boolean finishedRunChanged(ApplyResult r, RunEvent e) {
        return r.run().terminal() && (r.outcome() != Outcome.DUPLICATE || e.state().terminal());
    }

}
