package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.Fields.optText;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DMS replication tasks. The event names the task only by its ARN ({@code resources[0]}, {@code …:task:RESOURCE_ID}):
 * the resource id is the job (the task's name is not in the event; the catalog can give the job a readable name).
 * A task runs one run at a time and its events carry no run id: a start (REPLICATION_TASK_STARTED) names the run
 * {@code resourceId@startTime}, as a Glue crawler's Started does, and a stop or failure is paired with the task's open
 * run by the store. A stop is a success or not by its stop reason ({@link #stopOutcome}): a full-load task that
 * finished stops with "Stop Reason FULL_LOAD_ONLY_FINISHED"; a task stopped by a user says only "Replication task
 * stopped". Other task events (created, modified, deleted, reload requested, reading paused) are not runs.
 */
public final class DmsTask extends EventBridgeSource {
    // Events: the eventType of a start, stop or failure; DescribeReplicationTasks: the task's Status.
    private static final StateMap STATES = StateMap.builder()
            .pending("starting")
            .running("REPLICATION_TASK_STARTED", "running", "stopping")
            .failed("REPLICATION_TASK_FAILED", "failed")
            .stopped("REPLICATION_TASK_STOPPED", "stopped")
            .build();
    private static final Pattern TASK = Pattern.compile("arn:[^:]+:dms:[^:]*:[^:]*:task:([0-9A-Za-z-]+)");
    private static final Pattern STOP_REASON = Pattern.compile("Stop Reason ([A-Z_]+)");
    /** The stop reasons the API documents, by outcome; a reason not listed leaves a stop a plain STOPPED. */
    private static final Map<String, RunState> STOP_REASONS = Map.ofEntries(
            Map.entry("NORMAL", RunState.SUCCEEDED),
            Map.entry("FULL_LOAD_ONLY_FINISHED", RunState.SUCCEEDED),
            Map.entry("STOPPED_AFTER_FULL_LOAD", RunState.SUCCEEDED),
            Map.entry("STOPPED_AFTER_CACHED_EVENTS", RunState.SUCCEEDED),
            Map.entry("STOPPED_AFTER_DDL_APPLY", RunState.SUCCEEDED),
            Map.entry("STOPPED_AT_SERVER_TIME", RunState.SUCCEEDED),
            Map.entry("STOPPED_AT_COMMIT_TIME", RunState.SUCCEEDED),
            Map.entry("RECOVERABLE_ERROR", RunState.FAILED),
            Map.entry("FATAL_ERROR", RunState.FAILED),
            Map.entry("STOPPED_DUE_TO_LOW_MEMORY", RunState.FAILED),
            Map.entry("STOPPED_DUE_TO_LOW_DISK", RunState.FAILED),
            Map.entry("EXPRESS_LICENSE_LIMITS_REACHED", RunState.FAILED),
            Map.entry("RECONFIGURATION_RESTART", RunState.STOPPED),
            Map.entry("RECYCLE_TASK", RunState.STOPPED));
    private static final String[] ERRORS = {
        "Last Error  ODBC general error. Stop Reason RECOVERABLE_ERROR Error Level RECOVERABLE",
        "Last Error  Task 'orders' was suspended due to 6 successive unexpected failures Stop Reason FATAL_ERROR Error Level FATAL"};

    DmsTask() {
        super(JobSource.DMS_TASK, "aws.dms", "DMS Replication Task State Change");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    /** Only a task's start, stop and failure are runs; its other events (created, modified …) stay in the account. */
    @Override
    public Map<String, Object> eventFilter() {
        return Map.of("detail", Map.of("eventType",
                List.of("REPLICATION_TASK_STARTED", "REPLICATION_TASK_STOPPED", "REPLICATION_TASK_FAILED")));
    }

    /**
     * How a stopped task's run ended, from the stop reason text (the event's detailMessage or the API's StopReason,
     * both "Stop Reason X"): finished as configured → SUCCEEDED, an error → FAILED, none or another → STOPPED.
     */
    public static RunState stopOutcome(String text) {
        Matcher m = text == null ? null : STOP_REASON.matcher(text);
        return m != null && m.find() ? STOP_REASONS.getOrDefault(m.group(1), RunState.STOPPED) : RunState.STOPPED;
    }

    /** The job of a task ARN: its resource id; null when it is not a task ARN. */
    public static String jobOf(String taskArn) {
        Matcher m = taskArn == null ? null : TASK.matcher(taskArn);
        return m != null && m.matches() ? m.group(1) : null;
    }

    /** The run id a start at {@code startTime} (as written, to the second) gives: {@code job@startTime}. */
    public static String runIdOf(String job, String startTime) {
        return job + "@" + startTime;
    }

    @Override
    public Parsed read(Envelope env) {
        String arn = env.firstResource();
        String job = jobOf(arn);
        if (job == null) {
            throw new MalformedEventException("resources[0]", "a DMS replication task ARN (arn:aws:dms:REGION:ACCOUNT:task:ID)",
                    "\"" + Fields.clip(arn) + "\"");
        }
        JsonNode d = env.detail();
        String type = text(d, "detail", "eventType");
        String message = optText(d, "detail", "detailMessage");
        return switch (type) {
            case "REPLICATION_TASK_STARTED" -> Parsed.of(job, runIdOf(job, env.rawTime()), type, env.time(), null, null);
            case "REPLICATION_TASK_STOPPED" -> Parsed.of(job, null, type, stopOutcome(message), null, null, message);
            case "REPLICATION_TASK_FAILED" -> Parsed.of(job, null, type, RunState.FAILED, null, null, message);
            default -> Parsed.notARun("DMS task event " + type + " is not the start or end of a run");
        };
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        // The task pages are addressed by the task's name, which the events do not carry: the task list.
        return home("dms/v2", job.region()) + "#tasks";
    }

    @Override
    public List<String> reconcileActions() {
        return List.of("dms:DescribeReplicationTasks");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return true;
    }

    @Override
    public boolean runIdFromStart() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("the task's resource id (from the task ARN in resources[0])",
                "`resourceId@startTime` on REPLICATION_TASK_STARTED; null on STOPPED/FAILED (paired with the task's open run)");
    }

    @Override
    public List<String> samples() {
        return List.of("started.json", "stopped.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(6, 300, 2400);
    }

    @Override
    public String simJobName(String prefix, String noun, String verb, SplittableRandom rnd) {
        StringBuilder id = new StringBuilder(prefix.toUpperCase(java.util.Locale.ROOT));
        while (id.length() < 26) {
            id.append(Character.toUpperCase(Character.forDigit(rnd.nextInt(36), 36)));
        }
        return id.toString();
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        JobKey k = run.job();
        String arn = "arn:aws:dms:" + k.region() + ":" + k.account() + ":task:" + k.jobName();
        event(run, out, arn, run.start(), "REPLICATION_TASK_STARTED", "StateChange", "DMS-EVENT-0069",
                "Replication task started, with flag = fresh start");
        if (run.neverEnds()) {
            return;
        }
        if (run.failed()) {
            event(run, out, arn, run.end(), "REPLICATION_TASK_FAILED", "Failure", null,
                    ERRORS[run.rnd().nextInt(ERRORS.length)]);
        } else {
            event(run, out, arn, run.end(), "REPLICATION_TASK_STOPPED", "StateChange", "DMS-EVENT-0079",
                    "Stop Reason FULL_LOAD_ONLY_FINISHED");
        }
    }

    private static void event(SimRun run, SimEvents out, String arn, Instant at, String type, String category,
                              String eventId, String message) {
        ObjectNode e = out.add(run.job(), "aws.dms", "DMS Replication Task State Change", at);
        e.withArray("resources").add(arn);
        ObjectNode d = e.putObject("detail");
        if (eventId != null) {
            d.put("eventId", eventId);
        }
        d.put("eventType", type);
        d.put("detailMessage", message);
        d.put("type", "REPLICATION_TASK");
        d.put("category", category);
    }
}
