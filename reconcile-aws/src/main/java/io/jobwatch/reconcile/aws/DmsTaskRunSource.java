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
import io.jobwatch.core.source.DmsTask;
import io.jobwatch.core.source.Sources;
import io.jobwatch.core.source.StateMap;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * DMS replication tasks through {@code DescribeReplicationTasks} (without their settings; filtered by task ARN when
 * the scope names tasks): AWS JSON 1.1 ({@code X-Amz-Target: AmazonDMSv20160101.*}, {@code Marker}, times in epoch
 * seconds) over {@link SignedJsonClient}. DMS keeps only a task's latest run: its Status, its start
 * (ReplicationTaskStats.StartDate, else ReplicationTaskStartDate), its stop (StopDate), StopReason and
 * LastFailureMessage. As in the normalizer, the job is the task ARN's resource id and the run
 * {@code resourceId@start}; the reconciler matches it to the run the start event named, which may be stamped a few
 * seconds apart. Tasks being created, modified, moved or deleted, or ready and never started, have no run.
 */
public final class DmsTaskRunSource implements RunSource {
    static final AwsService SERVICE = AwsService.of("dms", "DMS");
    static final String TARGET_PREFIX = "AmazonDMSv20160101";
    private static final StateMap STATES = Sources.of(JobSource.DMS_TASK).states();
    /** The statuses of a task that has a run (started, running, stopping, ended). */
    private static final Set<String> RUN_STATUSES = Set.of("starting", "running", "stopping", "stopped", "failed");

    private final MemberClients clients;
    private final ListingBounds bounds;

    public DmsTaskRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.DMS_TASK;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SignedJsonClient dms = clients.signedJson(SERVICE, scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        String marker = null;
        int page = 0;
        try {
            do {
                ObjectNode request = SignedJsonClient.JSON.createObjectNode()
                        .put("MaxRecords", Math.max(20, Math.min(bounds.pageSize(), 100))).put("WithoutSettings", true);
                if (!scope.allJobs()) {
                    ObjectNode filter = request.putArray("Filters").addObject().put("Name", "replication-task-arn");
                    ArrayNode values = filter.putArray("Values");
                    scope.jobNames().forEach(id -> values.add("arn:" + clients.partition() + ":dms:" + scope.region() + ":"
                            + scope.account() + ":task:" + id));
                }
                if (marker != null) {
                    request.put("Marker", marker);
                }
                JsonNode response = dms.json11(TARGET_PREFIX, "DescribeReplicationTasks", request);
                for (JsonNode t : response.path("ReplicationTasks")) {
                    ObservedRun run = runOf(scope, t, since);
                    if (run != null) {
                        out.add(run);
                        if (out.size() >= limit) {
                            return out;
                        }
                    }
                }
                marker = SignedJsonClient.text(response, "Marker");
                page++;
            } while (marker != null && page < bounds.maxPagesPerList());
        } catch (AwsApiException e) {
            if (e.notFound()) {
                return out; // none of the named tasks exists any more: nothing ran
            }
            throw new RunSourceException(e.getMessage() + " (" + scope.account() + "/" + scope.region() + ")", e);
        }
        return out;
    }

    private static ObservedRun runOf(Scope scope, JsonNode t, Instant since) {
        String job = DmsTask.jobOf(SignedJsonClient.text(t, "ReplicationTaskArn"));
        String status = SignedJsonClient.text(t, "Status");
        if (job == null || status == null || !RUN_STATUSES.contains(status)) {
            return null;
        }
        JsonNode stats = t.path("ReplicationTaskStats");
        Instant start = SignedJsonClient.time(stats, "StartDate");
        if (start == null) {
            start = SignedJsonClient.time(t, "ReplicationTaskStartDate");
        }
        if (start == null) {
            return null;
        }
        String stopReason = SignedJsonClient.text(t, "StopReason");
        RunState state = switch (status) {
            case "stopped" -> DmsTask.stopOutcome(stopReason);
            case "failed" -> RunState.FAILED;
            default -> STATES.state(status);
        };
        Instant end = state.terminal() ? SignedJsonClient.time(stats, "StopDate") : null;
        if (!Window.covers(since, start, end, state.terminal())) {
            return null;
        }
        String failure = SignedJsonClient.text(t, "LastFailureMessage");
        String error = state == RunState.SUCCEEDED ? null : failure != null ? failure : stopReason;
        Instant second = start.truncatedTo(ChronoUnit.SECONDS);
        return new ObservedRun(new JobKey(scope.account(), scope.region(), JobSource.DMS_TASK, job),
                DmsTask.runIdOf(job, second.toString()), status, state, start, end, error);
    }
}
