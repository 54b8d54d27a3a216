package io.jobwatch.reconcile.aws;

import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.source.Sources;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run listers this module provides, registered by source id: each one's service (for its client and endpoint
 * override) and how to make it. The IAM actions each calls are its source descriptor's
 * ({@link io.jobwatch.core.source.SourceDescriptor#reconcileActions}); the member-account stack grants their union.
 */
public final class AwsRunSources {

    /** Makes a lister over the clients; {@code knownJobs} names the jobs of services that cannot be listed whole. */
    @FunctionalInterface
    public interface Factory {
        RunSource create(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs);
    }

    /** One registered lister. */
    public record Lister(JobSource source, AwsService service, Factory factory) {
    }

    private static final Map<JobSource, Lister> LISTERS = registry();

    private AwsRunSources() {
    }

    private static Map<JobSource, Lister> registry() {
        Map<JobSource, Lister> m = new EnumMap<>(JobSource.class);
        register(m, JobSource.GLUE_JOB, GlueJobRunSource.SERVICE, GlueJobRunSource::new);
        register(m, JobSource.GLUE_CRAWLER, GlueJobRunSource.SERVICE, GlueCrawlerRunSource::new);
        register(m, JobSource.STEP_FUNCTIONS, StepFunctionsRunSource.SERVICE, StepFunctionsRunSource::new);
        register(m, JobSource.APPFLOW, AppFlowRunSource.SERVICE, AppFlowRunSource::new);
        register(m, JobSource.DATASYNC, DataSyncRunSource.SERVICE, DataSyncRunSource::new);
        register(m, JobSource.BATCH, BatchRunSource.SERVICE, BatchRunSource::new);
        register(m, JobSource.EMR_SERVERLESS, EmrServerlessRunSource.SERVICE, EmrServerlessRunSource::new);
        register(m, JobSource.ECS_TASK, EcsTaskRunSource.SERVICE, EcsTaskRunSource::new);
        register(m, JobSource.EMR_STEP, EmrStepRunSource.SERVICE, EmrStepRunSource::new);
        register(m, JobSource.SAGEMAKER_PIPELINE, SageMakerPipelineRunSource.SERVICE, SageMakerPipelineRunSource::new);
        register(m, JobSource.DMS_TASK, DmsTaskRunSource.SERVICE, DmsTaskRunSource::new);
        register(m, JobSource.DATABREW, DataBrewRunSource.SERVICE, DataBrewRunSource::new);
        return m;
    }

    private static void register(Map<JobSource, Lister> m, JobSource source, AwsService service, Factory factory) {
        if (m.put(source, new Lister(source, service, factory)) != null) {
            throw new IllegalStateException("two run listers for " + source);
        }
    }

    /** The registered listers, in the order of the source registry. */
    public static List<Lister> listers() {
        List<Lister> out = new ArrayList<>();
        Sources.all().forEach(d -> {
            Lister l = LISTERS.get(d.source());
            if (l != null) {
                out.add(l);
            }
        });
        return out;
    }

    /** The services the listers ask (their ids, the keys of endpoint overrides). */
    public static Set<String> serviceIds() {
        Set<String> out = new LinkedHashSet<>();
        listers().forEach(l -> out.add(l.service().id()));
        return out;
    }

    /** The sources that can only be asked about named jobs (the read-only role may not list them whole). */
    public static boolean namedJobsOnly(JobSource source) {
        return !Sources.eventBridge(source).reconcileListsAllJobs();
    }

    /**
     * Every lister over the given clients, knowing no jobs: a scope that names no jobs works for the services that can
     * be listed whole; the others report that the jobs must be named (use {@link #all(MemberClients, ListingBounds,
     * KnownJobs)}).
     */
    public static List<RunSource> all(MemberClients clients, ListingBounds bounds) {
        return all(clients, bounds, KnownJobs.none());
    }

    /**
     * Every lister over the given clients. {@code knownJobs} names the jobs to ask about when a scope of a service
     * that cannot be listed whole names none.
     */
    public static List<RunSource> all(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        return listers().stream().map(l -> l.factory().create(clients, bounds, knownJobs)).toList();
    }
}
