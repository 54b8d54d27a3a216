package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.optIsoTime;
import static io.jobwatch.core.source.Fields.optText;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Glue job: terminal "State Change" events and in-flight "Run Status" events (which add startedOn). */
final class GlueJob extends EventBridgeSource {
    private static final StateMap STATES = StateMap.builder()
            .pending("WAITING")
            .running("STARTING", "RUNNING", "STOPPING")
            .succeeded("SUCCEEDED")
            .failed("FAILED", "ERROR")
            .timedOut("TIMEOUT", "EXPIRED") // EXPIRED: a queued run that never got to start within its time limit
            .stopped("STOPPED")
            .build();
    private static final String[] ERRORS = {
        "An error occurred while calling o112.pyWriteDynamicFrame. Access Denied (Service: Amazon S3; Status Code: 403)",
        "Command failed with exit code 1 - java.lang.OutOfMemoryError: Java heap space",
        "AnalysisException: cannot resolve 'order_ts' given input columns",
        "Role arn:aws:iam::%s:role/GlueEtlRole should be given assume role permissions for Glue Service."};

    GlueJob() {
        super(JobSource.GLUE_JOB, "aws.glue", "Glue Job State Change", "Glue Job Run Status");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        return Parsed.of(text(d, "detail", "jobName"), text(d, "detail", "jobRunId"), text(d, "detail", "state"),
                optIsoTime(d, "detail", "startedOn"), null, optText(d, "detail", "message"));
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        return home("gluestudio", job.region()) + "#/job/" + segment(job.jobName())
                + (runId == null ? "" : "/run/" + segment(runId));
    }

    @Override
    public List<String> reconcileActions() {
        return List.of("glue:GetJobs", "glue:GetJobRuns");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("detail.jobName", "detail.jobRunId");
    }

    @Override
    public List<String> samples() {
        return List.of("run-status-running.json", "failed.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(150, 120, 2400);
    }

    @Override
    public Duration simEvery(int index) {
        // A few Glue loads run every 4 hours all day long.
        return index % 13 == 0 ? Duration.ofHours(4) : Duration.ofDays(1);
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        JobKey k = run.job();
        String runId = "jr_" + out.hex(64);
        Instant notifyAt = run.start().plusSeconds(30 * 60);
        if (run.neverEnds() || notifyAt.isBefore(run.end())) {
            // Glue emits "Run Status" only when a run outlives its NotifyDelayAfter (here 30 minutes).
            ObjectNode d = out.add(k, "aws.glue", "Glue Job Run Status", notifyAt).putObject("detail");
            d.put("jobName", k.jobName());
            d.put("severity", "INFO");
            d.putObject("notificationCondition").put("NotifyDelayAfter", 30.0);
            d.put("state", "RUNNING");
            d.put("jobRunId", runId);
            d.put("message", "Job is in RUNNING state");
            d.put("startedOn", run.start().truncatedTo(ChronoUnit.MILLIS).toString());
        }
        if (run.neverEnds()) {
            return;
        }
        ObjectNode d = out.add(k, "aws.glue", "Glue Job State Change", run.end()).putObject("detail");
        boolean failed = run.failed();
        boolean timeout = failed && run.rnd().nextInt(5) == 0;
        d.put("jobName", k.jobName());
        d.put("severity", failed ? (timeout ? "WARN" : "ERROR") : "INFO");
        d.put("state", failed ? (timeout ? "TIMEOUT" : "FAILED") : "SUCCEEDED");
        d.put("jobRunId", runId);
        d.put("message", !failed ? "Job run succeeded" : timeout ? "Job run timed out"
                : "JobName:" + k.jobName() + " and JobRunId:" + runId + " failed to execute with exception "
                + String.format(ERRORS[run.rnd().nextInt(ERRORS.length)], k.account()));
    }
}
