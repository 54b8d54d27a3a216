package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.text;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** DataSync: the detail holds only {@code State}; task and execution come from the ARN in resources[0]. */
final class DataSync extends EventBridgeSource {
    private static final Pattern EXECUTION =
            Pattern.compile("arn:[^:]+:datasync:[^:]*:[^:]*:task/(task-[0-9a-zA-Z]+)/execution/(exec-[0-9a-zA-Z]+)");
    // The user guide's states (Queueing … Error) and the API's TaskExecutionStatus (QUEUED, CANCELLING).
    private static final StateMap STATES = StateMap.builder()
            .pending("QUEUED", "QUEUEING")
            .running("LAUNCHING", "PREPARING", "TRANSFERRING", "VERIFYING", "CANCELLING")
            .succeeded("SUCCESS")
            .failed("ERROR")
            .build();

    DataSync() {
        super(JobSource.DATASYNC, "aws.datasync", "DataSync Task Execution State Change");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        String arn = env.firstResource();
        Matcher m = EXECUTION.matcher(arn);
        if (!m.matches()) {
            throw new MalformedEventException("resources[0]",
                    "a DataSync execution ARN (arn:aws:datasync:REGION:ACCOUNT:task/task-…/execution/exec-…)",
                    "\"" + Fields.clip(arn) + "\"");
        }
        return Parsed.of(m.group(1), arn, text(env.detail(), "detail", "State"), null, null, null);
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        Matcher m = runId == null ? null : EXECUTION.matcher(runId);
        if (m != null && m.matches()) {
            // The execution's page in the task's history.
            return home("datasync", job.region()) + "#/history/" + m.group(1) + "/" + m.group(2);
        }
        return home("datasync", job.region()) + "#/tasks/" + segment(job.jobName());
    }

    @Override
    public List<String> reconcileActions() {
        // ListTaskExecutions carries no times: DescribeTaskExecution gives them.
        return List.of("datasync:ListTaskExecutions", "datasync:DescribeTaskExecution");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("task id `task-…` (from the execution ARN in resources[0])", "the execution ARN");
    }

    @Override
    public List<String> samples() {
        return List.of("launching.json", "success.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(30, 300, 2400);
    }

    @Override
    public String simJobName(String prefix, String noun, String verb, SplittableRandom rnd) {
        return "task-" + SimEvents.hex(rnd, 17);
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        JobKey k = run.job();
        String arn = "arn:aws:datasync:" + k.region() + ":" + k.account() + ":task/" + k.jobName() + "/execution/exec-"
                + out.hex(17);
        long span = Math.max(10, run.end().getEpochSecond() - run.start().getEpochSecond());
        event(run, out, arn, "LAUNCHING", run.start());
        event(run, out, arn, "PREPARING", run.start().plusSeconds(span / 20));
        event(run, out, arn, "TRANSFERRING", run.start().plusSeconds(span / 10));
        if (run.neverEnds()) {
            return;
        }
        if (!run.failed()) {
            event(run, out, arn, "VERIFYING", run.start().plusSeconds(span * 9 / 10));
        }
        event(run, out, arn, run.failed() ? "ERROR" : "SUCCESS", run.end());
    }

    private static void event(SimRun run, SimEvents out, String arn, String state, Instant at) {
        var e = out.add(run.job(), "aws.datasync", "DataSync Task Execution State Change", at);
        e.withArray("resources").add(arn);
        e.putObject("detail").put("State", state);
    }
}
