package io.jobwatch.reconcile.aws;

import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.run.JobSource;
import java.util.List;
import java.util.Set;

/**
 * The run sources this module provides, and the IAM actions they call (the member-account stack grants exactly
 * these to the reconciler's read-only role; infra's test checks the two agree).
 */
public final class AwsRunSources {
    /** Every action the run sources call, nothing else. */
    public static final List<String> ACTIONS = List.of(
            "glue:GetJobs", "glue:GetJobRuns", "glue:ListCrawls",
            "states:ListStateMachines", "states:ListExecutions",
            "batch:DescribeJobQueues", "batch:ListJobs",
            "datasync:ListTaskExecutions", "datasync:DescribeTaskExecution",
            "emr-serverless:ListJobRuns",
            "appflow:DescribeFlowExecutionRecords");

    /**
     * The sources that can only be asked about named jobs: the read-only role may not list Glue crawlers, EMR
     * Serverless applications or AppFlow flows, so a scope of all jobs needs {@link KnownJobs} to name them.
     */
    public static final Set<JobSource> NAMED_JOBS_ONLY = Set.of(JobSource.GLUE_CRAWLER, JobSource.EMR_SERVERLESS,
            JobSource.APPFLOW);

    private AwsRunSources() {
    }

    /**
     * Every source over the given clients, knowing no jobs: a scope that names no jobs works for Glue jobs, Step
     * Functions, Batch and DataSync (they list the account's jobs or runs); for Glue crawlers, EMR Serverless and
     * AppFlow it reports that the jobs must be named (use {@link #all(AwsClients, ListingBounds, KnownJobs)}).
     */
    public static List<RunSource> all(AwsClients clients, ListingBounds bounds) {
        return all(clients, bounds, KnownJobs.none());
    }

    /**
     * Every source over the given clients: Glue jobs, Glue crawlers, Step Functions, Batch, DataSync, EMR Serverless,
     * AppFlow. {@code knownJobs} names the crawlers, EMR Serverless applications and AppFlow flows to ask about when a
     * scope names none (those services cannot be enumerated with the read-only role).
     */
    public static List<RunSource> all(AwsClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        return List.of(new GlueJobRunSource(clients, bounds), new GlueCrawlerRunSource(clients, bounds, knownJobs),
                new StepFunctionsRunSource(clients, bounds), new BatchRunSource(clients, bounds),
                new DataSyncRunSource(clients, bounds), new EmrServerlessRunSource(clients, bounds, knownJobs),
                new AppFlowRunSource(clients, bounds, knownJobs));
    }
}
