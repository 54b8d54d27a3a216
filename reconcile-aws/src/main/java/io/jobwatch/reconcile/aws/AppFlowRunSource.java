package io.jobwatch.reconcile.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.reconcile.ObservedRun;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.RunSourceException;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.source.Sources;
import io.jobwatch.core.source.StateMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * AppFlow flow runs through {@code DescribeFlowExecutionRecords} per flow (REST-JSON, {@code POST
 * /describe-flow-execution-records}, most recent first) over {@link SignedJsonClient}. As in the normalizer, the job is
 * the flow name and the run the execution id; the end of a finished run is its lastUpdatedAt, and a failed run's error
 * the executionResult's errorInfo message. The flows come from the scope's job names, else from the known jobs: the
 * role may not list flows.
 */
public final class AppFlowRunSource implements RunSource {
    private static final StateMap STATES = Sources.of(JobSource.APPFLOW).states();
    static final AwsService SERVICE = AwsService.of("appflow", "AppFlow");
    private final MemberClients clients;
    private final ListingBounds bounds;
    private final KnownJobs knownJobs;

    public AppFlowRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
        this.knownJobs = Objects.requireNonNull(knownJobs, "knownJobs");
    }

    @Override
    public JobSource source() {
        return JobSource.APPFLOW;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        List<String> flows = scope.allJobs()
                ? knownJobs.jobNames(scope.account(), scope.region(), JobSource.APPFLOW) : scope.jobNames();
        if (flows.isEmpty()) {
            throw new RunSourceException("AppFlow in " + scope.account() + "/" + scope.region() + ": no flow to ask"
                    + " about — name the flows in the catalog (source appflow, jobName FLOW_NAME) or pass --job");
        }
        SignedJsonClient appflow = clients.signedJson(SERVICE, scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        for (String flow : flows) {
            try {
                if (!runsOf(appflow, scope, flow, since, limit, out)) {
                    break;
                }
            } catch (AwsApiException e) {
                if (e.notFound()) {
                    continue; // a flow the catalog names but the account no longer has: nothing ran
                }
                throw new RunSourceException(e.getMessage() + " (flow '" + flow + "' in " + scope.account() + "/"
                        + scope.region() + ")", e);
            }
        }
        return out;
    }

    private boolean runsOf(SignedJsonClient appflow, Scope scope, String flow, Instant since, int limit,
                           List<ObservedRun> out) {
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.APPFLOW, flow);
        String token = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("flowName", flow)
                    .put("maxResults", Math.min(bounds.pageSize(), 100));
            if (token != null) {
                request.put("nextToken", token);
            }
            JsonNode response = appflow.restPost("DescribeFlowExecutionRecords", "/describe-flow-execution-records",
                    request);
            boolean anyInWindow = false;
            for (JsonNode r : response.path("flowExecutions")) {
                String id = SignedJsonClient.text(r, "executionId");
                String status = SignedJsonClient.text(r, "executionStatus");
                if (id == null || status == null) {
                    continue;
                }
                boolean terminal = STATES.state(status).terminal();
                Instant start = SignedJsonClient.time(r, "startedAt");
                Instant end = terminal ? SignedJsonClient.time(r, "lastUpdatedAt") : null;
                if (!Window.covers(since, start, end, terminal)) {
                    continue;
                }
                anyInWindow = true;
                String error = SignedJsonClient.text(r.path("executionResult").path("errorInfo"), "executionMessage");
                out.add(new ObservedRun(job, id, status, start, end, error));
                if (out.size() >= limit) {
                    return false;
                }
            }
            if (!anyInWindow) {
                break; // most recent first: a page with nothing in the window means the rest is older
            }
            token = SignedJsonClient.text(response, "nextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return true;
    }
}
