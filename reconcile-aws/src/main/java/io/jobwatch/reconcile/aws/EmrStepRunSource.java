package io.jobwatch.reconcile.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.reconcile.ObservedRun;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.RunSourceException;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.source.EmrStep;
import io.jobwatch.core.source.Sources;
import io.jobwatch.core.source.StateMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * EMR on EC2 steps through {@code ListClusters} (created since the window's start, less a day for long runs) then
 * {@code ListSteps} per cluster (newest first): AWS JSON 1.1 ({@code X-Amz-Target: ElasticMapReduce.*}, {@code Marker},
 * times in epoch seconds) over {@link SignedJsonClient}. As in the normalizer, the job is {@code clusterName/stepName}
 * and the run {@code clusterId/stepId}; the step's timeline gives its start and end, its failure details the error.
 */
public final class EmrStepRunSource implements RunSource {
    static final AwsService SERVICE = new AwsService("emr", "elasticmapreduce", "elasticmapreduce", "EMR");
    static final String TARGET_PREFIX = "ElasticMapReduce";
    private static final StateMap STATES = Sources.of(JobSource.EMR_STEP).states();

    private record Cluster(String id, String name) {
    }

    private final MemberClients clients;
    private final ListingBounds bounds;

    public EmrStepRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.EMR_STEP;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SignedJsonClient emr = clients.signedJson(SERVICE, scope.account(), scope.region());
        Set<String> wanted = new HashSet<>(scope.jobNames());
        Set<String> wantedClusters = new HashSet<>();
        scope.jobNames().forEach(n -> wantedClusters.add(n.contains("/") ? n.substring(0, n.indexOf('/')) : n));
        List<ObservedRun> out = new ArrayList<>();
        List<Cluster> clusters;
        try {
            clusters = clusters(emr, since);
        } catch (AwsApiException e) {
            throw new RunSourceException(e.getMessage() + " (" + scope.account() + "/" + scope.region() + ")", e);
        }
        for (Cluster c : clusters) {
            if (!scope.allJobs() && !wantedClusters.contains(c.name()) && !wantedClusters.contains(c.id())) {
                continue;
            }
            try {
                if (!stepsOf(emr, scope, c, wanted, since, limit, out)) {
                    break;
                }
            } catch (AwsApiException e) {
                throw new RunSourceException(e.getMessage() + " (cluster " + c.id() + " in " + scope.account() + "/"
                        + scope.region() + ")", e);
            }
        }
        return out;
    }

    private List<Cluster> clusters(SignedJsonClient emr, Instant since) {
        List<Cluster> out = new ArrayList<>();
        String marker = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode()
                    .put("CreatedAfter", since.minus(Window.LONG_RUN_LOOKBACK).getEpochSecond());
            if (marker != null) {
                request.put("Marker", marker);
            }
            JsonNode response = emr.json11(TARGET_PREFIX, "ListClusters", request);
            for (JsonNode c : response.path("Clusters")) {
                String id = SignedJsonClient.text(c, "Id");
                if (id != null) {
                    out.add(new Cluster(id, SignedJsonClient.text(c, "Name")));
                }
            }
            marker = SignedJsonClient.text(response, "Marker");
            page++;
        } while (marker != null && page < bounds.maxPagesPerList());
        return out;
    }

    private boolean stepsOf(SignedJsonClient emr, Scope scope, Cluster cluster, Set<String> wanted, Instant since,
                            int limit, List<ObservedRun> out) {
        String marker = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("ClusterId", cluster.id());
            if (marker != null) {
                request.put("Marker", marker);
            }
            JsonNode response = emr.json11(TARGET_PREFIX, "ListSteps", request);
            for (JsonNode s : response.path("Steps")) {
                String id = SignedJsonClient.text(s, "Id");
                String name = SignedJsonClient.text(s, "Name");
                JsonNode status = s.path("Status");
                String state = SignedJsonClient.text(status, "State");
                if (id == null || name == null || state == null) {
                    continue;
                }
                String job = EmrStep.jobOf(cluster.name(), cluster.id(), name);
                if (!scope.allJobs() && !wanted.contains(job) && !wanted.contains(cluster.id() + "/" + name)) {
                    continue;
                }
                JsonNode timeline = status.path("Timeline");
                Instant start = SignedJsonClient.time(timeline, "StartDateTime");
                Instant end = SignedJsonClient.time(timeline, "EndDateTime");
                boolean terminal = STATES.state(state).terminal();
                if (!Window.covers(since, start, terminal ? end : null, terminal)) {
                    continue;
                }
                JsonNode failure = status.path("FailureDetails");
                String error = SignedJsonClient.text(failure, "Message");
                if (error == null) {
                    error = SignedJsonClient.text(failure, "Reason");
                }
                out.add(new ObservedRun(new JobKey(scope.account(), scope.region(), JobSource.EMR_STEP, job),
                        cluster.id() + "/" + id, state, start, terminal ? end : null, error));
                if (out.size() >= limit) {
                    return false;
                }
            }
            marker = SignedJsonClient.text(response, "Marker");
            page++;
        } while (marker != null && page < bounds.maxPagesPerList());
        return true;
    }
}
