package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.optIsoTime;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SageMaker Model Building Pipeline executions: the pipeline is the job (its name from {@code pipelineArn}), the
 * execution ARN the run; executionStartTime and, once finished, executionEndTime are the times. The event carries no
 * failure reason (only the separate step-status event does); the reconciler reads it from the API.
 */
final class SageMakerPipeline extends EventBridgeSource {
    private static final StateMap STATES = StateMap.builder()
            .running("Executing", "Stopping")
            .succeeded("Succeeded")
            .failed("Failed")
            .stopped("Stopped")
            .build();
    private static final Pattern PIPELINE = Pattern.compile("arn:[^:]+:sagemaker:[^:]*:[^:]*:pipeline/([^/]+)");
    private static final Pattern EXECUTION =
            Pattern.compile("arn:[^:]+:sagemaker:[^:]*:[^:]*:pipeline/([^/]+)/execution/([0-9a-zA-Z]+)");

    SageMakerPipeline() {
        super(JobSource.SAGEMAKER_PIPELINE, "aws.sagemaker", "SageMaker Model Building Pipeline Execution Status Change");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        String pipelineArn = text(d, "detail", "pipelineArn");
        Matcher m = PIPELINE.matcher(pipelineArn);
        if (!m.matches()) {
            throw new MalformedEventException("detail.pipelineArn", "a pipeline ARN (arn:aws:sagemaker:REGION:ACCOUNT:pipeline/NAME)",
                    "\"" + Fields.clip(pipelineArn) + "\"");
        }
        String status = text(d, "detail", "currentPipelineExecutionStatus");
        // A retried execution reports Executing again with the earlier attempt's end still set: an end counts only
        // once the execution has finished.
        Instant end = state(status).terminal() ? optIsoTime(d, "detail", "executionEndTime") : null;
        return Parsed.of(m.group(1), text(d, "detail", "pipelineExecutionArn"), status,
                optIsoTime(d, "detail", "executionStartTime"), end, null);
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        Matcher m = runId == null ? null : EXECUTION.matcher(runId);
        String pipeline = home("sagemaker", job.region()) + "#/pipelines/" + segment(job.jobName());
        return m != null && m.matches() ? pipeline + "/executions/" + segment(m.group(2)) : pipeline;
    }

    @Override
    public List<String> reconcileActions() {
        // ListPipelineExecutions has no end time: DescribePipelineExecution gives it (and the failure reason).
        return List.of("sagemaker:ListPipelines", "sagemaker:ListPipelineExecutions",
                "sagemaker:DescribePipelineExecution");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("pipeline name (from detail.pipelineArn)", "detail.pipelineExecutionArn");
    }

    @Override
    public List<String> samples() {
        return List.of("executing-after-retry.json", "succeeded.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(8, 900, 5400);
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        JobKey k = run.job();
        String pipelineArn = "arn:aws:sagemaker:" + k.region() + ":" + k.account() + ":pipeline/" + k.jobName();
        String executionArn = pipelineArn + "/execution/" + out.base36(12);
        String display = "execution-" + run.start().toEpochMilli();
        event(run, out, pipelineArn, executionArn, display, "Executing", null, run.start(), null);
        if (!run.neverEnds()) {
            event(run, out, pipelineArn, executionArn, display, run.failed() ? "Failed" : "Succeeded", "Executing",
                    run.end(), run.end());
        }
    }

    private static void event(SimRun run, SimEvents out, String pipelineArn, String executionArn, String display,
                              String status, String previous, Instant at, Instant end) {
        ObjectNode e = out.add(run.job(), "aws.sagemaker", "SageMaker Model Building Pipeline Execution Status Change", at);
        e.withArray("resources").add(pipelineArn).add(executionArn);
        ObjectNode d = e.putObject("detail");
        d.put("pipelineExecutionDisplayName", display);
        d.put("currentPipelineExecutionStatus", status);
        if (previous != null) {
            d.put("previousPipelineExecutionStatus", previous);
        }
        d.put("executionStartTime", run.start().truncatedTo(ChronoUnit.SECONDS).toString());
        if (end != null) {
            d.put("executionEndTime", end.truncatedTo(ChronoUnit.SECONDS).toString());
        }
        d.put("pipelineArn", pipelineArn);
        d.put("pipelineExecutionArn", executionArn);
    }
}
