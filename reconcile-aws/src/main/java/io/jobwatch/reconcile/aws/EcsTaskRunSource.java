package io.jobwatch.reconcile.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.reconcile.ObservedRun;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.RunSourceException;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.EcsTask;
import io.jobwatch.core.source.Sources;
import io.jobwatch.core.source.StateMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * ECS tasks that are jobs, through {@code ListClusters}, then per cluster {@code ListTasks} (stopped, then running) and
 * {@code DescribeTasks} (100 at a time): AWS JSON 1.1 ({@code X-Amz-Target: AmazonEC2ContainerServiceV20141113.*},
 * {@code nextToken}, times in epoch seconds) over {@link SignedJsonClient}. As in the normalizer, the job is the task's
 * group without {@code family:} (else its task definition's family), a service's task is skipped, the run is the task
 * ARN, and the outcome of a stopped task comes from its stop code and its containers' exit codes. ECS lists a stopped
 * task for about an hour after it stopped, so a lost end is caught by a reconciliation within that hour.
 */
public final class EcsTaskRunSource implements RunSource {
    static final AwsService SERVICE = AwsService.of("ecs", "ECS");
    static final String TARGET_PREFIX = "AmazonEC2ContainerServiceV20141113";
    private static final StateMap STATES = Sources.of(JobSource.ECS_TASK).states();

    private final MemberClients clients;
    private final ListingBounds bounds;

    public EcsTaskRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.ECS_TASK;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SignedJsonClient ecs = clients.signedJson(SERVICE, scope.account(), scope.region());
        Set<String> wanted = new HashSet<>(scope.jobNames());
        List<ObservedRun> out = new ArrayList<>();
        try {
            for (String cluster : clusters(ecs)) {
                for (String desired : List.of("STOPPED", "RUNNING")) {
                    List<String> arns = taskArns(ecs, cluster, desired);
                    for (int i = 0; i < arns.size(); i += 100) {
                        if (!describe(ecs, scope, cluster, arns.subList(i, Math.min(arns.size(), i + 100)), wanted,
                                since, limit, out)) {
                            return out;
                        }
                    }
                }
            }
        } catch (AwsApiException e) {
            throw new RunSourceException(e.getMessage() + " (" + scope.account() + "/" + scope.region() + ")", e);
        }
        return out;
    }

    private List<String> clusters(SignedJsonClient ecs) {
        List<String> out = new ArrayList<>();
        String token = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("maxResults", Math.min(bounds.pageSize(), 100));
            if (token != null) {
                request.put("nextToken", token);
            }
            JsonNode response = ecs.json11(TARGET_PREFIX, "ListClusters", request);
            response.path("clusterArns").forEach(a -> out.add(a.asText()));
            token = SignedJsonClient.text(response, "nextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return out;
    }

    private List<String> taskArns(SignedJsonClient ecs, String cluster, String desiredStatus) {
        List<String> out = new ArrayList<>();
        String token = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("cluster", cluster)
                    .put("desiredStatus", desiredStatus).put("maxResults", Math.min(bounds.pageSize(), 100));
            if (token != null) {
                request.put("nextToken", token);
            }
            JsonNode response = ecs.json11(TARGET_PREFIX, "ListTasks", request);
            response.path("taskArns").forEach(a -> out.add(a.asText()));
            token = SignedJsonClient.text(response, "nextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return out;
    }

    /** Adds the described tasks that are runs of the scope's jobs in the window; false once {@code limit} is reached. */
    private boolean describe(SignedJsonClient ecs, Scope scope, String cluster, List<String> arns, Set<String> wanted,
                             Instant since, int limit, List<ObservedRun> out) {
        ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("cluster", cluster);
        ArrayNode tasks = request.putArray("tasks");
        arns.forEach(tasks::add);
        JsonNode response = ecs.json11(TARGET_PREFIX, "DescribeTasks", request);
        for (JsonNode t : response.path("tasks")) {
            String arn = SignedJsonClient.text(t, "taskArn");
            String lastStatus = SignedJsonClient.text(t, "lastStatus");
            String job = EcsTask.jobOf(SignedJsonClient.text(t, "group"), SignedJsonClient.text(t, "taskDefinitionArn"));
            if (arn == null || lastStatus == null || job == null || (!scope.allJobs() && !wanted.contains(job))) {
                continue;
            }
            List<EcsTask.Container> containers = new ArrayList<>();
            for (JsonNode c : t.path("containers")) {
                JsonNode exit = c.get("exitCode");
                containers.add(new EcsTask.Container(SignedJsonClient.text(c, "name"),
                        exit == null || !exit.isIntegralNumber() ? null : exit.intValue(), SignedJsonClient.text(c, "reason")));
            }
            RunState outcome = EcsTask.outcome(lastStatus, SignedJsonClient.text(t, "stopCode"), containers);
            RunState state = outcome != null ? outcome : STATES.state(lastStatus);
            Instant start = SignedJsonClient.time(t, "startedAt");
            Instant stop = outcome != null ? SignedJsonClient.time(t, "stoppedAt") : null;
            if (!Window.covers(since, start, stop, state.terminal())) {
                continue;
            }
            out.add(new ObservedRun(new JobKey(scope.account(), scope.region(), JobSource.ECS_TASK, job), arn, lastStatus,
                    state, start, stop, outcome == null ? null
                    : EcsTask.error(SignedJsonClient.text(t, "stoppedReason"), containers)));
            if (out.size() >= limit) {
                return false;
            }
        }
        return true;
    }
}
