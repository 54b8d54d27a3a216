package io.jobwatch.core.source;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Everything Jobwatch knows about one job source, in one place: the EventBridge events it follows and how to read
 * them, its state names, the console page of a run, the read-only IAM actions its reconcile lister needs, its help
 * text, and how the simulator writes its runs. Every part of Jobwatch reads sources from {@link Sources}; adding a
 * source is a new descriptor, its line in {@link Sources} and its {@link JobSource} id (plus its reconcile lister in
 * reconcile-aws).
 */
public abstract class SourceDescriptor {
    private final JobSource source;
    private final String eventSource;
    private final List<String> detailTypes;

    protected SourceDescriptor(JobSource source, String eventSource, String... detailTypes) {
        this.source = Objects.requireNonNull(source, "source");
        this.eventSource = Objects.requireNonNull(eventSource, "eventSource");
        this.detailTypes = List.of(detailTypes);
    }

    /** The source's id, as users write it in the catalog and on the command line. */
    public final JobSource source() {
        return source;
    }

    /** The envelope {@code source} of its events, e.g. {@code aws.glue}. */
    public final String eventSource() {
        return eventSource;
    }

    /** The envelope {@code detail-type}s it reads. */
    public final List<String> detailTypes() {
        return detailTypes;
    }

    /**
     * What an EventBridge rule must also match besides the source and detail-types, so that events of these types
     * that are never job runs stay in their account (an ECS service's tasks): a pattern fragment such as
     * {@code {"detail": {"group": [{"anything-but": {"prefix": "service:"}}]}}}. Empty: every event of the types.
     */
    public Map<String, Object> eventFilter() {
        return Map.of();
    }

    /** Its state names (events and list API) on the run model. */
    public abstract StateMap states();

    /** The run state of one of its state names. */
    public final RunState state(String sourceState) {
        return states().state(sourceState);
    }

    /** Reads one event's fields; throws {@link MalformedEventException} for a missing or mistyped one. */
    public abstract Parsed read(Envelope env);

    /**
     * The console page of the run (or, with a null run id or where the console has none per run, of the job), as the
     * part after {@code https://HOST/}; null when no safe link can be made. {@link ConsoleLinks} adds the host of the
     * region's partition and checks the region first.
     */
    public abstract String consolePath(JobKey job, String runId);

    /**
     * The IAM actions its reconcile lister calls (the member-account stack grants exactly the union of all sources'
     * to the reconciler's read-only role): list and describe run history, nothing else.
     */
    public abstract List<String> reconcileActions();

    /**
     * Whether the reconciler may list every job of an account with {@link #reconcileActions()}; false: it asks about
     * the jobs Jobwatch knows by name (the catalog's and the store's).
     */
    public abstract boolean reconcileListsAllJobs();

    /**
     * True when the job runs one run at a time and only its start event names the run: the run id is
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

    /**
     * Real samples among its fixtures ({@code examples/events/<id>/} file names) that, in this order, show each of its
     * detail-types, a run's start where the service sends one, and a run's end. The ingest function's SnapStart
     * priming runs them through the first-event path; the registry test checks them.
     */
    public abstract List<String> samples();

    /** How many jobs of this source the simulated estate has at scale 1, and their typical run time. */
    public abstract SimProfile simProfile();

    /** A simulated job's name, from words the simulator picks (a source with its own id style overrides it). */
    public String simJobName(String prefix, String noun, String verb, SplittableRandom rnd) {
        return prefix + "-" + noun + "-" + verb;
    }

    /** How often the {@code index}-th simulated job of this source runs (daily unless a source says otherwise). */
    public Duration simEvery(int index) {
        return Duration.ofDays(1);
    }

    /** Writes one simulated run's events in the shapes the service documents (the same key sets as its fixtures). */
    public abstract void simulate(SimRun run, SimEvents out);

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
     * The simulated estate's share of this source.
     *
     * @param jobs       jobs at scale 1
     * @param minSeconds shortest typical run
     * @param maxSeconds longest typical run (exclusive)
     */
    public record SimProfile(int jobs, int minSeconds, int maxSeconds) {
    }
}
