package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.optEpochMillis;
import static io.jobwatch.core.source.Fields.optText;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Step Functions: the state machine is the job, the execution ARN the run; times in epoch millis. A redriven execution
 * keeps its ARN and start: {@code redriveCount} + 1 is the attempt.
 */
final class StepFunctions extends EventBridgeSource {
    private static final Pattern STATE_MACHINE = Pattern.compile("arn:[^:]+:states:[^:]*:[^:]*:stateMachine:([^:]+)(:.*)?");
    private static final StateMap STATES = StateMap.builder()
            .running("RUNNING", "PENDING_REDRIVE")
            .succeeded("SUCCEEDED")
            .failed("FAILED")
            .timedOut("TIMED_OUT")
            .stopped("ABORTED")
            .build();
    private static final String[] ERRORS = {"States.TaskFailed", "States.Timeout", "Lambda.ServiceException"};

    StepFunctions() {
        super(JobSource.STEP_FUNCTIONS, "aws.states", "Step Functions Execution Status Change");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        String machineArn = text(d, "detail", "stateMachineArn");
        Matcher m = STATE_MACHINE.matcher(machineArn);
        if (!m.matches()) {
            throw new MalformedEventException("detail.stateMachineArn",
                    "a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME)", "\"" + Fields.clip(machineArn) + "\"");
        }
        String error = optText(d, "detail", "error");
        String cause = optText(d, "detail", "cause");
        String message = error == null ? cause : cause == null ? error : error + ": " + cause;
        return Parsed.of(m.group(1), text(d, "detail", "executionArn"), text(d, "detail", "status"),
                optEpochMillis(d, "detail", "startDate"), optEpochMillis(d, "detail", "stopDate"), message)
                .withAttempt(redriveCount(d) + 1);
    }

    /**
     * How often the execution was redriven (a failed execution restarted in place, same ARN, same startDate): its
     * events carry {@code redriveCount}, 0 until the first redrive; older events have none (0).
     */
    private static int redriveCount(JsonNode d) {
        JsonNode n = d.get("redriveCount");
        if (n == null || n.isNull()) {
            return 0;
        }
        if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > 10_000) {
            throw new MalformedEventException("detail.redriveCount", "a count of redrives (an integer, 0 or more)",
                    Fields.describe(n));
        }
        return n.asInt();
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        return runId == null ? home("states", job.region()) + "#/statemachines"
                : home("states", job.region()) + "#/v2/executions/details/" + segment(runId);
    }

    @Override
    public List<String> reconcileActions() {
        return List.of("states:ListStateMachines", "states:ListExecutions");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("state machine name (from detail.stateMachineArn)", "detail.executionArn");
    }

    @Override
    public List<String> samples() {
        return List.of("running.json", "succeeded.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(60, 300, 3600);
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        JobKey k = run.job();
        String name = "run-" + run.runNumber() + "-" + out.hex(8);
        String machine = "arn:aws:states:" + k.region() + ":" + k.account() + ":stateMachine:" + k.jobName();
        String exec = "arn:aws:states:" + k.region() + ":" + k.account() + ":execution:" + k.jobName() + ":" + name;
        event(run, out, machine, exec, name, "RUNNING", null, false);
        if (!run.neverEnds() && !run.failed() && run.runNumber() % 7 == 3) {
            // Some successful runs fail first and are redriven in place (same ARN and startDate, redriveCount 1).
            Instant failedAt = run.start().plus(java.time.Duration.between(run.start(), run.end()).dividedBy(2));
            ObjectNode failed = event(run, out, machine, exec, name, "FAILED", failedAt, true);
            failed.with("detail").put("redriveCount", 0).put("redriveStatus", "REDRIVABLE");
            Instant redrivenAt = failedAt.plusSeconds(30);
            ObjectNode again = out.add(run.job(), "aws.states", "Step Functions Execution Status Change", redrivenAt);
            again.setAll(copyOf(failed, redrivenAt));
            again.with("detail").put("status", "RUNNING").putNull("stopDate").put("redriveCount", 1)
                    .put("redriveDate", redrivenAt.toEpochMilli()).put("redriveStatus", "REDRIVE_IN_PROGRESS")
                    .putNull("error").putNull("cause");
            event(run, out, machine, exec, name, "SUCCEEDED", run.end(), false).with("detail")
                    .put("redriveCount", 1).put("redriveDate", redrivenAt.toEpochMilli())
                    .put("redriveStatus", "NOT_REDRIVABLE");
            return;
        }
        if (!run.neverEnds()) {
            boolean timedOut = run.failed() && run.rnd().nextInt(6) == 0;
            event(run, out, machine, exec, name, run.failed() ? (timedOut ? "TIMED_OUT" : "FAILED") : "SUCCEEDED",
                    run.end(), run.failed() && !timedOut);
        }
    }

    /** The event's detail and resources for another event (its own id and time). */
    private static ObjectNode copyOf(ObjectNode e, Instant time) {
        ObjectNode c = e.deepCopy();
        c.remove("id");
        c.put("time", time.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
        return c;
    }

    private static ObjectNode event(SimRun run, SimEvents out, String machine, String exec, String name, String status,
                                    Instant stop, boolean withError) {
        ObjectNode e = out.add(run.job(), "aws.states", "Step Functions Execution Status Change",
                stop == null ? run.start() : stop);
        e.withArray("resources").add(exec);
        ObjectNode d = e.putObject("detail");
        d.put("executionArn", exec);
        d.put("stateMachineArn", machine);
        d.put("name", name);
        d.put("status", status);
        d.put("startDate", run.start().toEpochMilli());
        if (stop == null) {
            d.putNull("stopDate");
        } else {
            d.put("stopDate", stop.toEpochMilli());
        }
        d.put("input", "{\"runDate\":\"" + run.start().toString().substring(0, 10) + "\"}");
        d.putObject("inputDetails").put("included", true);
        if ("SUCCEEDED".equals(status)) {
            d.put("output", "{\"rowsLoaded\":" + run.rnd().nextInt(1, 5_000_000) + "}");
            d.putObject("outputDetails").put("included", true);
        } else {
            d.putNull("output");
            d.putNull("outputDetails");
        }
        if (withError) {
            // Live events may carry error/cause (the DescribeExecution fields); the archived doc samples do not.
            d.put("error", ERRORS[run.rnd().nextInt(ERRORS.length)]);
            d.put("cause", "Task in state 'Load' failed after 3 attempts");
        }
        return e;
    }
}
