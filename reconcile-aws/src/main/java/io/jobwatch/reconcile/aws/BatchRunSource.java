package io.jobwatch.reconcile.aws;

import io.jobwatch.core.reconcile.ObservedRun;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.RunSourceException;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.batch.BatchClient;
import software.amazon.awssdk.services.batch.model.DescribeJobQueuesResponse;
import software.amazon.awssdk.services.batch.model.JobQueueDetail;
import software.amazon.awssdk.services.batch.model.JobSummary;
import software.amazon.awssdk.services.batch.model.KeyValuesPair;
import software.amazon.awssdk.services.batch.model.ListJobsResponse;

/**
 * AWS Batch jobs through {@code DescribeJobQueues} then {@code ListJobs} per queue with the {@code AFTER_CREATED_AT}
 * filter: with a filter ListJobs returns jobs of every status (without one, only RUNNING), newest first. The job is
 * the Batch job name and the run the jobId, as in the events; start and end are {@code startedAt}/{@code stoppedAt}.
 */
public final class BatchRunSource implements RunSource {
    private final AwsClients clients;
    private final ListingBounds bounds;

    public BatchRunSource(AwsClients clients, ListingBounds bounds) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.BATCH;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        BatchClient batch = clients.batch(scope.account(), scope.region());
        Set<String> wanted = new HashSet<>(scope.jobNames());
        List<ObservedRun> out = new ArrayList<>();
        for (String queue : queues(batch, scope)) {
            try {
                Iterator<ListJobsResponse> pages = batch.listJobsPaginator(r -> r.jobQueue(queue)
                        .filters(KeyValuesPair.builder().name("AFTER_CREATED_AT")
                                .values(Long.toString(since.toEpochMilli())).build())
                        .maxResults(Math.min(bounds.pageSize(), 1000))).iterator();
                for (int page = 0; page < bounds.maxPagesPerList() && pages.hasNext(); page++) {
                    for (JobSummary j : pages.next().jobSummaryList()) {
                        if (j.jobId() == null || j.jobName() == null || j.statusAsString() == null
                                || !(scope.allJobs() || wanted.contains(j.jobName()))) {
                            continue;
                        }
                        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.BATCH, j.jobName());
                        out.add(new ObservedRun(job, j.jobId(), j.statusAsString(), millis(j.startedAt()),
                                millis(j.stoppedAt()), j.statusReason()));
                        if (out.size() >= limit) {
                            return out;
                        }
                    }
                }
            } catch (SdkException e) {
                throw new RunSourceException("Batch ListJobs for queue '" + queue + "' in " + scope.account() + "/"
                        + scope.region() + " failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private List<String> queues(BatchClient batch, Scope scope) {
        List<String> out = new ArrayList<>();
        try {
            Iterator<DescribeJobQueuesResponse> pages = batch.describeJobQueuesPaginator(r -> r.maxResults(
                    Math.min(bounds.pageSize(), 100))).iterator();
            for (int page = 0; page < bounds.maxPagesPerList() && pages.hasNext(); page++) {
                for (JobQueueDetail q : pages.next().jobQueues()) {
                    out.add(q.jobQueueArn() != null ? q.jobQueueArn() : q.jobQueueName());
                }
            }
        } catch (SdkException e) {
            throw new RunSourceException("Batch DescribeJobQueues in " + scope.account() + "/" + scope.region()
                    + " failed: " + e.getMessage(), e);
        }
        return out;
    }

    private static Instant millis(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
    }
}
