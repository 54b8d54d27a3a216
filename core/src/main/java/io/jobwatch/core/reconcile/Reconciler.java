package io.jobwatch.core.reconcile;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.Sources;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.sla.ExpectedJobs;
import io.jobwatch.core.store.InvalidRunEventException;
import io.jobwatch.core.store.JobBrief;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.Run;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Catches the runs whose events never arrived: asks each service what ran, compares with the store by run key, and
 * applies what is missing or behind through the one ingest path ({@link IngestPipeline}), so incidents follow as for
 * a real event. The synthesized events have deterministic ids ({@link #eventIdOf}), so reconciling twice is a no-op,
 * a later real event for the same state only adds its own id, and the store's rules keep a finished run finished.
 */
public final class Reconciler {
    /** Prefix of every event id the reconciler makes; EventBridge ids are UUIDs, so the two never collide. */
    public static final String EVENT_ID_PREFIX = "reconcile:";
    /**
     * How far apart a listed start and a stored start of one run may be, for sources whose runs are named by their
     * start ({@code jobName@startTime}: Glue crawlers, DMS tasks): a DMS task's start event is stamped when it is sent,
     * its API start when the task started, seconds apart.
     */
    public static final Duration START_TOLERANCE = Duration.ofMinutes(2);

    private final RunStore store;
    private final IngestPipeline ingest;
    private final Map<JobSource, RunSource> sources;
    private final Clock clock;
    private final io.jobwatch.core.normalize.EventNormalizer names;

    /**
     * The jobs Jobwatch knows of: the catalog's named jobs (when a catalog is given), every job with a summary and every
     * job with a run still open. Services whose jobs the reader cannot list are asked about these by name.
     */
    public static Set<JobKey> knownJobs(RunStore store, Catalog catalog) {
        Set<JobKey> jobs = new LinkedHashSet<>();
        if (catalog != null) {
            jobs.addAll(ExpectedJobs.named(catalog));
        }
        for (JobBrief b : store.briefPerJob()) {
            jobs.add(b.summary().job());
        }
        for (Run r : store.openRuns()) {
            jobs.add(r.job());
        }
        return jobs;
    }

    /**
     * @param store   read to compare (the same store {@code ingest} writes)
     * @param ingest  the one ingest path
     * @param sources one run source per service; a scope whose service has none is reported as failed
     * @param clock   reconciler clock (lag is measured against it)
     */
    public Reconciler(RunStore store, IngestPipeline ingest, List<RunSource> sources, Clock clock) {
        this(store, ingest, sources, clock, io.jobwatch.core.source.IdentityOverride.NONE);
    }

    /**
     * @param identity the catalog's identity rules, so a listed run's job is named as ingest names its events' jobs
     */
    public Reconciler(RunStore store, IngestPipeline ingest, List<RunSource> sources, Clock clock,
                      io.jobwatch.core.source.IdentityOverride identity) {
        this.names = new io.jobwatch.core.normalize.EventNormalizer().withIdentity(identity);
        this.store = Objects.requireNonNull(store, "store");
        this.ingest = Objects.requireNonNull(ingest, "ingest");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sources = new EnumMap<>(JobSource.class);
        for (RunSource s : sources) {
            this.sources.put(s.source(), s);
        }
    }

    /**
     * Reconciles every scope in turn; one failing service does not stop the others (its stats carry the error).
     *
     * @param since         look at runs that started at or after this instant (or are still going)
     * @param limitPerScope at most this many runs are listed per scope (the per-cycle bound)
     * @param dryRun        decide but write nothing
     */
    public ReconcileReport reconcile(List<Scope> scopes, Instant since, int limitPerScope, boolean dryRun) {
        if (limitPerScope < 1) {
            throw new IllegalArgumentException("limitPerScope must be at least 1, was " + limitPerScope);
        }
        Instant now = clock.instant();
        List<ReconcileStats> stats = new ArrayList<>();
        List<ReconcileAction> actions = new ArrayList<>();
        for (Scope scope : scopes) {
            stats.add(reconcileScope(scope, since, limitPerScope, dryRun, now, actions));
        }
        return new ReconcileReport(now, since, dryRun, stats, actions);
    }

    private ReconcileStats reconcileScope(Scope scope, Instant since, int limit, boolean dryRun, Instant now,
                                          List<ReconcileAction> actions) {
        RunSource source = sources.get(scope.source());
        if (source == null) {
            return failed(scope, "no run source for " + scope.source().label() + " is configured");
        }
        List<ObservedRun> observed;
        try {
            observed = source.runsSince(scope, since, limit);
        } catch (RunSourceException e) {
            return failed(scope, e.getMessage());
        }
        Instant newestEnd = null;
        int unchanged = 0;
        String problem = null;
        List<ReconcileAction> planned = new ArrayList<>();
        List<RunEvent> events = new ArrayList<>();
        boolean startNamed = Sources.of(scope.source()).runIdFromStart();
        for (ObservedRun listed : observed) {
            if (!listed.job().account().equals(scope.account()) || !listed.job().region().equals(scope.region())
                    || listed.job().source() != scope.source()) {
                throw new IllegalStateException(source.getClass().getSimpleName() + " listed " + listed.key()
                        + " for the scope " + scope.describe());
            }
            // Named as the events name it: the job's stable name, a retry's id as its run's next attempt.
            ObservedRun named = listed.identified(names.stableName(listed.job()).name());
            ObservedRun o = startNamed ? asStored(named) : named;
            if (o.endedAt() != null && (newestEnd == null || o.endedAt().isAfter(newestEnd))) {
                newestEnd = o.endedAt();
            }
            Optional<Run> stored = store.get(o.key());
            ReconcileAction.Kind kind = decide(stored.orElse(null), o);
            if (kind == null) {
                unchanged++;
                continue;
            }
            RunEvent event = eventOf(o, now);
            try {
                RunFold.validate(event);
            } catch (InvalidRunEventException e) {
                problem = problem != null ? problem : "skipped " + o.key() + ": " + e.getMessage();
                continue;
            }
            planned.add(new ReconcileAction(kind, o, stored.map(Run::state).orElse(null), null));
            events.add(event);
        }
        int missing = 0;
        int advanced = 0;
        if (dryRun || events.isEmpty()) {
            for (ReconcileAction a : planned) {
                if (a.kind() == ReconcileAction.Kind.ADD) {
                    missing++;
                } else {
                    advanced++;
                }
            }
            actions.addAll(planned);
        } else {
            List<ApplyResult> results = ingest.ingest(events).applied();
            for (int i = 0; i < results.size(); i++) {
                Outcome outcome = results.get(i).outcome();
                ReconcileAction a = planned.get(i);
                actions.add(new ReconcileAction(a.kind(), a.observed(), a.storedState(), outcome));
                // Counted by what the store did: a concurrent real event may have got there first.
                switch (outcome) {
                    case CREATED -> missing++;
                    case ADVANCED -> advanced++;
                    default -> unchanged++;
                }
            }
        }
        Duration lag = newestEnd == null ? null : Duration.between(newestEnd, now);
        return new ReconcileStats(scope.account(), scope.region(), scope.source(), observed.size(), missing, advanced,
                unchanged, lag, observed.size() >= limit, problem);
    }

    /**
     * A listed run of a start-named source under the id the store knows it by: the stored run of the job that started
     * within {@link #START_TOLERANCE} of the listed start (the closest), else the listed id.
     */
    private ObservedRun asStored(ObservedRun o) {
        if (o.startedAt() == null || store.get(o.key()).isPresent()) {
            return o;
        }
        Run best = null;
        for (Run r : store.runsOfJob(o.job(), 10)) {
            if (r.startedAt() == null || RunFold.isOrphanCrawl(r.runId())) {
                continue; // a crawl known only by its end is taken over by the listed crawl under its start id
            }
            Duration apart = Duration.between(r.startedAt(), o.startedAt()).abs();
            if (apart.compareTo(START_TOLERANCE) <= 0
                    && (best == null || apart.compareTo(Duration.between(best.startedAt(), o.startedAt()).abs()) < 0)) {
                best = r;
            }
        }
        return best == null ? o : o.withRunId(best.runId());
    }

    /**
     * What the store needs: ADD when it does not know the run, ADVANCE when its run is not finished and the service
     * reports a later stage; null when the store already has it as far along (a finished run is never touched:
     * terminal states do not regress, and a second, different ending stays the store's business).
     */
    static ReconcileAction.Kind decide(Run stored, ObservedRun observed) {
        if (stored == null) {
            return ReconcileAction.Kind.ADD;
        }
        if (observed.attempt() > stored.attempt()) {
            return ReconcileAction.Kind.ADVANCE; // a later attempt (a retry) of a run the store has
        }
        if (stored.terminal()) {
            return null;
        }
        RunState seen = observed.state();
        return seen.rank() > stored.state().rank() ? ReconcileAction.Kind.ADVANCE : null;
    }

    /**
     * The event the reconciler applies for an observed run. Its time is the run's end when it has finished (else the
     * reconciler clock: the service said so now). The error is kept only for runs that did not succeed.
     */
    public static RunEvent eventOf(ObservedRun o, Instant now) {
        RunState state = o.state();
        Instant time = state.terminal() && o.endedAt() != null ? o.endedAt() : now;
        // A listing whose end precedes its start (clock skew) keeps the end: that is what finishes the run.
        Instant start = o.startedAt() != null && o.endedAt() != null && o.endedAt().isBefore(o.startedAt())
                ? null : o.startedAt();
        return new RunEvent(eventIdOf(o), o.job(), o.runId(), state, o.sourceState(), time, start,
                state.terminal() ? o.endedAt() : null, state.failed() || state == RunState.STOPPED ? o.error() : null,
                o.attempt(), null, o.rawJobName(), null);
    }

    /** {@code reconcile:<runId>:<sourceState>}: stable, so the same observation applied twice is a DUPLICATE. */
    public static String eventIdOf(ObservedRun o) {
        return EVENT_ID_PREFIX + o.runId() + (o.attempt() > 1 ? "#" + o.attempt() : "") + ":" + o.sourceState();
    }

    private static ReconcileStats failed(Scope scope, String error) {
        return new ReconcileStats(scope.account(), scope.region(), scope.source(), 0, 0, 0, 0, null, false, error);
    }
}
