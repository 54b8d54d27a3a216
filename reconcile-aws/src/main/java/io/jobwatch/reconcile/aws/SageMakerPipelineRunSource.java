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
 * SageMaker pipeline executions through {@code ListPipelines} (or the scope's pipeline names), then
 * {@code ListPipelineExecutions} per pipeline (created since the window's start less a day, newest first): AWS JSON
 * 1.1 ({@code X-Amz-Target: SageMaker.*}, {@code NextToken}, times in epoch seconds) over {@link SignedJsonClient}.
 * The summaries carry no end time, so a finished execution is read once more with {@code DescribePipelineExecution}
 * (its LastModifiedTime is when it finished; its FailureReason the error). As in the normalizer, the job is the
 * pipeline's name and the run the execution ARN.
 */
public final class SageMakerPipelineRunSource implements RunSource {
    static final AwsService SERVICE = new AwsService("sagemaker", "api.sagemaker", "sagemaker", "SageMaker");
    static final String TARGET_PREFIX = "SageMaker";
    private static final StateMap STATES = Sources.of(JobSource.SAGEMAKER_PIPELINE).states();

    private final MemberClients clients;
    private final ListingBounds bounds;

    public SageMakerPipelineRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.SAGEMAKER_PIPELINE;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SignedJsonClient sm = clients.signedJson(SERVICE, scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        List<String> pipelines;
        try {
            pipelines = scope.allJobs() ? pipelines(sm) : scope.jobNames();
        } catch (AwsApiException e) {
            throw new RunSourceException(e.getMessage() + " (" + scope.account() + "/" + scope.region() + ")", e);
        }
        for (String pipeline : pipelines) {
            try {
                if (!executionsOf(sm, scope, pipeline, since, limit, out)) {
                    break;
                }
            } catch (AwsApiException e) {
                if (e.notFound()) {
                    continue; // a pipeline the catalog names but the account no longer has: nothing ran
                }
                throw new RunSourceException(e.getMessage() + " (pipeline '" + pipeline + "' in " + scope.account() + "/"
                        + scope.region() + ")", e);
            }
        }
        return out;
    }

    private List<String> pipelines(SignedJsonClient sm) {
        List<String> out = new ArrayList<>();
        String token = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("MaxResults", Math.min(bounds.pageSize(), 100));
            if (token != null) {
                request.put("NextToken", token);
            }
            JsonNode response = sm.json11(TARGET_PREFIX, "ListPipelines", request);
            for (JsonNode p : response.path("PipelineSummaries")) {
                String name = SignedJsonClient.text(p, "PipelineName");
                if (name != null) {
                    out.add(name);
                }
            }
            token = SignedJsonClient.text(response, "NextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return out;
    }

    private boolean executionsOf(SignedJsonClient sm, Scope scope, String pipeline, Instant since, int limit,
                                 List<ObservedRun> out) {
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.SAGEMAKER_PIPELINE, pipeline);
        String token = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("PipelineName", pipeline)
                    .put("CreatedAfter", since.minus(Window.LONG_RUN_LOOKBACK).getEpochSecond())
                    .put("SortBy", "CreationTime").put("SortOrder", "Descending")
                    .put("MaxResults", Math.min(bounds.pageSize(), 100));
            if (token != null) {
                request.put("NextToken", token);
            }
            JsonNode response = sm.json11(TARGET_PREFIX, "ListPipelineExecutions", request);
            for (JsonNode e : response.path("PipelineExecutionSummaries")) {
                String arn = SignedJsonClient.text(e, "PipelineExecutionArn");
                String status = SignedJsonClient.text(e, "PipelineExecutionStatus");
                if (arn == null || status == null) {
                    continue;
                }
                Instant start = SignedJsonClient.time(e, "StartTime");
                boolean terminal = STATES.state(status).terminal();
                Instant end = null;
                String error = SignedJsonClient.text(e, "PipelineExecutionFailureReason");
                if (terminal) {
                    JsonNode described = sm.json11(TARGET_PREFIX, "DescribePipelineExecution",
                            SignedJsonClient.JSON.createObjectNode().put("PipelineExecutionArn", arn));
                    end = SignedJsonClient.time(described, "LastModifiedTime");
                    if (error == null) {
                        error = SignedJsonClient.text(described, "FailureReason");
                    }
                }
                if (!Window.covers(since, start, end, terminal)) {
                    continue;
                }
                out.add(new ObservedRun(job, arn, status, start, end, error));
                if (out.size() >= limit) {
                    return false;
                }
            }
            token = SignedJsonClient.text(response, "NextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return true;
    }
}
