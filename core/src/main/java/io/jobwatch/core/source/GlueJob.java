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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Glue job: terminal "State Change" events and in-flight "Run Status" events (which add startedOn, and say the run
 * passed its NotifyDelayAfter). A retry (the job's MaxRetries) is a run id {@code <id>_attempt_<n>}: attempt n + 1 of
 * run {@code <id>}.
 */
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

    /** A retry's run id: the first attempt's id and {@code _attempt_N} (N from 1 for the first retry). */
    private static final Pattern RETRY = Pattern.compile("(.+)_attempt_(\\d{1,4})");
    static final String RUN_STATUS = "Glue Job Run Status";

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        RunOfId run = runOfId(text(d, "detail", "jobRunId"));
        Parsed p = Parsed.of(text(d, "detail", "jobName"), run.runId(), text(d, "detail", "state"),
                optIsoTime(d, "detail", "startedOn"), null, optText(d, "detail", "message")).withAttempt(run.attempt());
        // "Run Status" is Glue's own "late" signal: sent when a run is still going after its NotifyDelayAfter minutes.
        return RUN_STATUS.equals(env.detailType()) ? p.withNotifyDelay(notifyDelay(d)) : p;
    }

    /** {@code jr_…_attempt_N} is attempt N + 1 of run {@code jr_…}; any other id is its run's first attempt. */
    @Override
    public RunOfId runOfId(String runId) {
        Matcher m = RETRY.matcher(runId);
        return m.matches() ? new RunOfId(m.group(1), Integer.parseInt(m.group(2)) + 1) : new RunOfId(runId, 1);
    }

    private static Duration notifyDelay(JsonNode d) {
        JsonNode condition = d.get("notificationCondition");
        if (condition == null || condition.isNull()) {
            return null;
        }
        if (!condition.isObject()) {
            throw new MalformedEventException("detail.notificationCondition", "an object", Fields.describe(condition));
        }
        JsonNode minutes = condition.get("NotifyDelayAfter");
        if (minutes == null || minutes.isNull()) {
            return null;
        }
        if (!minutes.isNumber() || minutes.asDouble() <= 0 || minutes.asDouble() > 100_000) {
            throw new MalformedEventException("detail.notificationCondition.NotifyDelayAfter",
                    "a positive number of minutes", Fields.describe(minutes));
        }
        return Duration.ofSeconds(Math.round(minutes.asDouble() * 60));
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
        String endRunId = runId;
        if (!run.failed() && run.runNumber() % 7 == 5) {
            // Some successful runs fail first and succeed on the job's automatic retry (MaxRetries): jr_…_attempt_1.
            Instant failedAt = run.start().plus(Duration.between(run.start(), run.end()).dividedBy(2));
            ObjectNode f = out.add(k, "aws.glue", "Glue Job State Change", failedAt).putObject("detail");
            f.put("jobName", k.jobName());
            f.put("severity", "ERROR");
            f.put("state", "FAILED");
            f.put("jobRunId", runId);
            f.put("message", "JobName:" + k.jobName() + " and JobRunId:" + runId + " failed to execute with exception "
                    + String.format(ERRORS[(int) (run.runNumber() % ERRORS.length)], k.account()));
            endRunId = runId + "_attempt_1";
        }
        ObjectNode d = out.add(k, "aws.glue", "Glue Job State Change", run.end()).putObject("detail");
        boolean failed = run.failed();
        boolean timeout = failed && run.rnd().nextInt(5) == 0;
        d.put("jobName", k.jobName());
        d.put("severity", failed ? (timeout ? "WARN" : "ERROR") : "INFO");
        d.put("state", failed ? (timeout ? "TIMEOUT" : "FAILED") : "SUCCEEDED");
        d.put("jobRunId", endRunId);
        d.put("message", !failed ? "Job run succeeded" : timeout ? "Job run timed out"
                : "JobName:" + k.jobName() + " and JobRunId:" + runId + " failed to execute with exception "
                + String.format(ERRORS[run.rnd().nextInt(ERRORS.length)], k.account()));
    }
}
