package io.jobwatch.reconcile.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.reconcile.ObservedRun;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.RunSourceException;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * AWS Batch jobs through {@code DescribeJobQueues} then {@code ListJobs} per queue with the {@code AFTER_CREATED_AT}
 * filter: with a filter ListJobs returns jobs of every status (without one, only RUNNING), newest first. REST-JSON
 * ({@code POST /v1/describejobqueues}, {@code POST /v1/listjobs}, {@code nextToken}, times in epoch milliseconds) over
 * {@link SignedJsonClient}. The job is the Batch job name and the run the jobId, as in the events; start and end are
 * {@code startedAt}/{@code stoppedAt}.
 */
public final class BatchRunSource implements RunSource {
    static final AwsService SERVICE = AwsService.of("batch", "Batch");
    private final MemberClients clients;
    private final ListingBounds bounds;

    public BatchRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.BATCH;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SignedJsonClient batch = clients.signedJson(SERVICE, scope.account(), scope.region());
        Set<String> wanted = new HashSet<>(scope.jobNames());
        List<ObservedRun> out = new ArrayList<>();
        for (String queue : queues(batch, scope)) {
            try {
                String token = null;
                int page = 0;
                do {
                    ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("jobQueue", queue)
                            .put("maxResults", Math.min(bounds.pageSize(), 1000));
                    request.putArray("filters").addObject().put("name", "AFTER_CREATED_AT")
                            .putArray("values").add(Long.toString(since.toEpochMilli()));
                    if (token != null) {
                        request.put("nextToken", token);
                    }
                    JsonNode response = batch.restPost("ListJobs", "/v1/listjobs", request);
                    for (JsonNode j : response.path("jobSummaryList")) {
                        String id = SignedJsonClient.text(j, "jobId");
                        String name = SignedJsonClient.text(j, "jobName");
                        String status = SignedJsonClient.text(j, "status");
                        if (id == null || name == null || status == null || !(scope.allJobs() || wanted.contains(name))) {
                            continue;
                        }
                        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.BATCH, name);
                        out.add(new ObservedRun(job, id, status, SignedJsonClient.millis(j, "startedAt"),
                                SignedJsonClient.millis(j, "stoppedAt"), SignedJsonClient.text(j, "statusReason")));
                        if (out.size() >= limit) {
                            return out;
                        }
                    }
                    token = SignedJsonClient.text(response, "nextToken");
                    page++;
                } while (token != null && page < bounds.maxPagesPerList());
            } catch (AwsApiException e) {
                throw new RunSourceException(e.getMessage() + " (queue '" + queue + "' in " + scope.account() + "/"
                        + scope.region() + ")", e);
            }
        }
        return out;
    }

    private List<String> queues(SignedJsonClient batch, Scope scope) {
        List<String> out = new ArrayList<>();
        String token = null;
        int page = 0;
        try {
            do {
                ObjectNode request = SignedJsonClient.JSON.createObjectNode()
                        .put("maxResults", Math.min(bounds.pageSize(), 100));
                if (token != null) {
                    request.put("nextToken", token);
                }
                JsonNode response = batch.restPost("DescribeJobQueues", "/v1/describejobqueues", request);
                for (JsonNode q : response.path("jobQueues")) {
                    String arn = SignedJsonClient.text(q, "jobQueueArn");
                    String name = arn != null ? arn : SignedJsonClient.text(q, "jobQueueName");
                    if (name != null) {
                        out.add(name);
                    }
                }
                token = SignedJsonClient.text(response, "nextToken");
                page++;
            } while (token != null && page < bounds.maxPagesPerList());
        } catch (AwsApiException e) {
            throw new RunSourceException(e.getMessage() + " (" + scope.account() + "/" + scope.region() + ")", e);
        }
        return out;
    }
}
