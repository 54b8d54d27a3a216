package io.jobwatch.reconcile.aws;

import io.jobwatch.core.reconcile.RunSource;
import java.util.List;

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
