package io.jobwatch.core.source;

import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.util.Objects;

/**
 * Everything Jobwatch knows about one job source, in one place. A source reaches Jobwatch one of two ways, and the
 * descriptor's kind says which:
 * <ul>
 * <li>{@link EventBridgeSource}: the service's EventBridge state-change events (Glue, Step Functions …), with their
 * event pattern, normalizer, console links, the read-only IAM actions of its reconcile lister and its simulated runs;</li>
 * <li>{@link HttpSource}: requests sent to Jobwatch's own HTTP endpoints (Healthchecks-style pings, OpenLineage run
 * events): no EventBridge pattern, no reconcile lister, no member-account IAM actions, no AWS console.</li>
 * </ul>
 * What both share: the id, the state names on the run model, how runs are named and paired, the help text. Every part
 * of Jobwatch reads sources from {@link Sources}; adding a source is a new descriptor, its line in {@link Sources}
 * and its {@link JobSource} id (plus, for an EventBridge source, its reconcile lister in reconcile-aws).
 */
public abstract sealed class SourceDescriptor permits EventBridgeSource, HttpSource {
    private final JobSource source;

    SourceDescriptor(JobSource source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The source's id, as users write it in the catalog and on the command line. */
    public final JobSource source() {
        return source;
    }

    /** Its state names (events and list API, or the HTTP signals) on the run model. */
    public abstract StateMap states();

    /** The run state of one of its state names. */
    public final RunState state(String sourceState) {
        return states().state(sourceState);
    }

    /**
     * True when the job runs one run at a time and only its start names the run: the run id is
     * {@code jobName@startTime} and terminal events carry none (the store pairs them with the job's open run).
     */
    public boolean runIdFromStart() {
        return false;
    }

    /**
     * The job's stable name for a name as the service wrote it: the name itself, unless the source's names carry a
     * per-run suffix ({@link PerRunSuffix}), which the sources that see them strip. The catalog's {@code identity}
     * may override it for a job.
     */
    public StableName stableName(String raw) {
        return StableName.same(raw, "the " + source.id() + " rule keeps job names as written");
    }

    /** The one rule for sources whose job names may carry a per-run suffix: strip it, unless nothing is left. */
    protected final StableName strippedOfPerRunSuffix(String raw) {
        return PerRunSuffix.split(raw)
                .map(sp -> new StableName(sp.stem(), raw, "the " + source.id() + " rule strips the per-run suffix '"
                        + sp.suffix() + "' (" + sp.describe() + ")"))
                .orElseGet(() -> StableName.same(raw, "the " + source.id() + " rule finds no per-run suffix"));
    }

    /**
     * The run and attempt a run id names, for run ids the service lists (the reconciler): a Glue retry's
     * {@code jr_…_attempt_N} is attempt N + 1 of run {@code jr_…}. Default: the id as it is, attempt not said (0).
     */
    public RunOfId runOfId(String runId) {
        return new RunOfId(runId, 0);
    }

    /**
     * A run id and the attempt it names.
     *
     * @param runId   the run's id
     * @param attempt the attempt, or 0 when the id does not say
     */
    public record RunOfId(String runId, int attempt) {
    }

    /** What the job name and the run id are, for help texts and the README's source table. */
    public abstract Help help();

    @Override
    public String toString() {
        return source.id();
    }

    /**
     * What the job and run are.
     *
     * @param jobName how the job name is read, e.g. {@code detail.jobName}
     * @param runId   how the run id is read
     */
    public record Help(String jobName, String runId) {
    }

    /**
     * The simulated estate's share of an EventBridge source.
     *
     * @param jobs       jobs at scale 1
     * @param minSeconds shortest typical run
     * @param maxSeconds longest typical run (exclusive)
     */
    public record SimProfile(int jobs, int minSeconds, int maxSeconds) {
    }
}
