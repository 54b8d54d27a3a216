package io.jobwatch.core.source;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A source that reaches Jobwatch as the service's EventBridge state-change events: the events it follows and how to
 * read them, the console page of a run, the read-only IAM actions its reconcile lister needs, its real samples and
 * how the simulator writes its runs.
 */
public abstract non-sealed class EventBridgeSource extends SourceDescriptor {
    private final String eventSource;
    private final List<String> detailTypes;

    protected EventBridgeSource(JobSource source, String eventSource, String... detailTypes) {
        super(source);
        this.eventSource = Objects.requireNonNull(eventSource, "eventSource");
        this.detailTypes = List.of(detailTypes);
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
}
