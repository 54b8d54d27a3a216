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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.SplittableRandom;

/**
 * EMR Serverless: the job is {@code applicationId/jobRunName} (or the application alone); createdAt is the best start
 * the event carries and updatedAt, on a terminal event, the end.
 */
final class EmrServerless extends EventBridgeSource {
    static final String RETRY = "EMR Serverless Job Run Retry";
    /** The retry event carries no state: its name stands for one (a new attempt of the job run was created). */
    static final String RETRIED = "Job Run Retry";

    private static final StateMap STATES = StateMap.builder()
            .pending("SUBMITTED", "PENDING", "SCHEDULED", "QUEUED", RETRIED)
            .running("RUNNING", "CANCELLING")
            .succeeded("SUCCESS")
            .failed("FAILED")
            .stopped("CANCELLED")
            .build();

    EmrServerless() {
        super(JobSource.EMR_SERVERLESS, "aws.emr-serverless", "EMR Serverless Job Run State Change", RETRY);
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        String app = text(d, "detail", "applicationId");
        String runName = optText(d, "detail", "jobRunName");
        String job = runName == null ? app : app + "/" + runName;
        if (RETRY.equals(env.detailType())) {
            // A failed attempt was retried (the job's retry policy): newAttempt of the same job run was created.
            JsonNode n = d.get("newAttempt");
            if (n == null || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 10_000) {
                throw new MalformedEventException("detail.newAttempt", "the new attempt's number (an integer ≥ 1)",
                        n == null ? "nothing (field missing)" : Fields.describe(n));
            }
            return Parsed.of(job, text(d, "detail", "jobRunId"), RETRIED, optIsoTime(d, "detail", "createdAt"), null,
                    null).withAttempt(n.asInt());
        }
        String state = text(d, "detail", "state");
        Instant updated = optIsoTime(d, "detail", "updatedAt");
        // State changes do not say which attempt they are about: the job run's current one.
        return Parsed.of(job, text(d, "detail", "jobRunId"), state, optIsoTime(d, "detail", "createdAt"),
                state(state).terminal() ? updated : null, optText(d, "detail", "stateDetails")).withAttempt(0);
    }

    /**
     * The job is {@code applicationId/jobRunName}; a run name's per-run suffix (a timestamp, a UUID …) is not part of
     * it, and a run name that is nothing but such tokens leaves the application alone.
     */
    @Override
    public StableName stableName(String raw) {
        int slash = raw.indexOf('/');
        if (slash < 0) {
            return StableName.same(raw, "the emr-serverless rule: the job run has no name, the application is the job");
        }
        String app = raw.substring(0, slash);
        String runName = raw.substring(slash + 1);
        if (PerRunSuffix.isToken(runName) || PerRunSuffix.split(runName).map(sp -> PerRunSuffix.isToken(sp.stem()))
                .orElse(false)) {
            return new StableName(app, raw, "the emr-serverless rule: the run name '" + runName
                    + "' is only per-run tokens, so the application is the job");
        }
        StableName stripped = strippedOfPerRunSuffix(runName);
        return new StableName(app + "/" + stripped.name(), raw, stripped.why());
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        // The job name is applicationId or applicationId/jobRunName.
        String app = job.jobName().split("/", 2)[0];
        return home("emr", job.region()) + "#/serverless/applications/" + segment(app)
                + (runId == null ? "" : "/job-runs/" + segment(runId));
    }

    @Override
    public List<String> reconcileActions() {
        return List.of("emr-serverless:ListJobRuns");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return false;
    }

    @Override
    public Help help() {
        return new Help("`applicationId/jobRunName`, or `applicationId`", "detail.jobRunId");
    }

    @Override
    public List<String> samples() {
        return List.of("running.json", "job-run-retry.json", "success.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(47, 300, 1800);
    }

    @Override
    public String simJobName(String prefix, String noun, String verb, SplittableRandom rnd) {
        return "00fh" + SimEvents.base36(rnd, 12) + "/" + prefix + "-" + noun + "-" + verb;
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        String[] parts = run.job().jobName().split("/", 2);
        String runId = "00fh" + out.base36(12);
        Instant created = run.start().minusSeconds(run.rnd().nextInt(10, 40));
        event(run, out, parts, runId, "SUBMITTED", null, created, created);
        event(run, out, parts, runId, "SCHEDULED", "SUBMITTED", created.plusSeconds(3), created);
        event(run, out, parts, runId, "RUNNING", "SCHEDULED", run.start(), created);
        if (!run.neverEnds()) {
            event(run, out, parts, runId, run.failed() ? "FAILED" : "SUCCESS", "RUNNING", run.end(), created);
        }
    }

    private static void event(SimRun run, SimEvents out, String[] parts, String runId, String state, String previous,
                              Instant at, Instant created) {
        JobKey k = run.job();
        ObjectNode d = out.add(k, "aws.emr-serverless", "EMR Serverless Job Run State Change", at).putObject("detail");
        d.put("jobRunId", runId);
        if (parts.length > 1) {
            d.put("jobRunName", parts[1]);
        }
        d.put("applicationId", parts[0]);
        d.put("arn", "arn:aws:emr-serverless:" + k.region() + ":" + k.account() + ":/applications/" + parts[0]
                + "/jobruns/" + runId);
        d.put("releaseLabel", "emr-7.2.0");
        d.put("state", state);
        if (previous != null) {
            d.put("previousState", previous);
        }
        d.put("createdBy", "arn:aws:sts::" + k.account() + ":assumed-role/EmrServerlessSubmitter/airflow-worker-1");
        d.put("updatedAt", at.truncatedTo(ChronoUnit.MICROS).toString());
        d.put("createdAt", created.truncatedTo(ChronoUnit.MICROS).toString());
    }
}
