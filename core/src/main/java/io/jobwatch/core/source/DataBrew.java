package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.optText;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.util.List;

/**
 * Glue DataBrew jobs: DataBrew sends an event only when a run ends (SUCCEEDED, FAILED, TIMEOUT, STOPPED), with the
 * job name, the run id and a message, and no times but the event's own; a run's start comes from ListJobRuns when the
 * reconciler reads it.
 */
final class DataBrew extends EventBridgeSource {
    // Events: the four end states; ListJobRuns adds STARTING, RUNNING, STOPPING.
    private static final StateMap STATES = StateMap.builder()
            .running("STARTING", "RUNNING", "STOPPING")
            .succeeded("SUCCEEDED")
            .failed("FAILED")
            .timedOut("TIMEOUT")
            .stopped("STOPPED")
            .build();
    private static final String[] ERRORS = {
        "AnalysisException: 'Path does not exist: s3://lake-raw/customers/2026-03-02;'",
        "Dataset customers-raw has 0 rows after sampling; check the source location and filters"};

    DataBrew() {
        super(JobSource.DATABREW, "aws.databrew", "DataBrew Job State Change");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        return Parsed.of(text(d, "detail", "jobName"), text(d, "detail", "jobRunId"), text(d, "detail", "state"), null,
                null, optText(d, "detail", "message"));
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        return home("databrew", job.region()) + "#job-details?job=" + segment(job.jobName());
    }

    @Override
    public List<String> reconcileActions() {
        return List.of("databrew:ListJobs", "databrew:ListJobRuns");
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
        return List.of("succeeded.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(12, 120, 900);
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        if (run.neverEnds()) {
            return; // DataBrew reports only the end of a run
        }
        boolean timeout = run.failed() && run.rnd().nextInt(5) == 0;
        ObjectNode d = out.add(run.job(), "aws.databrew", "DataBrew Job State Change", run.end()).putObject("detail");
        d.put("jobName", run.job().jobName());
        d.put("severity", !run.failed() ? "INFO" : timeout ? "WARN" : "ERROR");
        d.put("state", !run.failed() ? "SUCCEEDED" : timeout ? "TIMEOUT" : "FAILED");
        d.put("jobRunId", "db_" + out.hex(64));
        d.put("message", !run.failed() ? "Job run succeeded" : timeout ? "Job run timed out"
                : ERRORS[run.rnd().nextInt(ERRORS.length)]);
    }
}
