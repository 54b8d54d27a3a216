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
            "glue:GetJobs", "glue:GetJobRuns",
            "states:ListStateMachines", "states:ListExecutions",
            "batch:DescribeJobQueues", "batch:ListJobs");

    private AwsRunSources() {
    }

    /** Glue jobs, Step Functions and Batch over the given clients. */
    public static List<RunSource> all(AwsClients clients, ListingBounds bounds) {
        return List.of(new GlueJobRunSource(clients, bounds), new StepFunctionsRunSource(clients, bounds),
                new BatchRunSource(clients, bounds));
    }
}
