package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.optIsoTime;
import static io.jobwatch.core.source.Fields.optText;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ECS tasks that are jobs: tasks started by EventBridge schedules, Step Functions, Airflow or RunTask, not by a
 * service. The job is the task's group without its {@code family:} prefix (a scheduled task's group is
 * {@code family:TASK_DEFINITION_FAMILY} unless its rule sets another), else the task definition's family; a task
 * whose group is {@code service:…} belongs to a service and is not a job run. The run is the task ARN.
 *
 * <p>ECS has no "succeeded": a task ends STOPPED, and how it ended is in its stop code and its containers' exit codes
 * ({@link #outcome}): stopped by someone → STOPPED; failed to start, interrupted (Spot, host health) → FAILED; its
 * essential container exited → SUCCEEDED when every container exited 0 (or 143: SIGTERM, how ECS stops the other
 * containers once the essential one is done) and none has a failure reason, else FAILED.
 */
public final class EcsTask extends EventBridgeSource {
    private static final StateMap STATES = StateMap.builder()
            .pending("PROVISIONING", "PENDING", "ACTIVATING")
            .running("RUNNING", "DEACTIVATING", "STOPPING", "DEPROVISIONING")
            .stopped("STOPPED", "DELETED")
            .build();
    /** {@code task/ID} (old format) or {@code task/CLUSTER/ID}. */
    private static final Pattern TASK_ARN = Pattern.compile("arn:[^:]+:ecs:[^:]*:[^:]*:task/(?:([^/]+)/)?([0-9a-zA-Z-]+)");
    private static final Pattern FAMILY = Pattern.compile("arn:[^:]+:ecs:[^:]*:[^:]*:task-definition/([^:]+)(:\\d+)?");
    /** The container reason ECS writes when it kills a container over its memory limit (exit code 137). */
    private static final String OOM = "OutOfMemoryError: Container killed due to memory usage";

    /** A container as a task's event or DescribeTasks reports it. */
    public record Container(String name, Integer exitCode, String reason) {
    }

    EcsTask() {
        super(JobSource.ECS_TASK, "aws.ecs", "ECS Task State Change");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    /** A service's tasks are not jobs: their events stay in the account (every standalone task has a group). */
    @Override
    public Map<String, Object> eventFilter() {
        return Map.of("detail", Map.of("group", List.of(Map.of("anything-but", Map.of("prefix", "service:")))));
    }

    /**
     * How a task ended, from its last status, stop code and containers (the event and DescribeTasks carry the same
     * fields). Null for a task not stopped yet: its last status says.
     */
    public static RunState outcome(String lastStatus, String stopCode, List<Container> containers) {
        if (!"STOPPED".equalsIgnoreCase(lastStatus) && !"DELETED".equalsIgnoreCase(lastStatus)) {
            return null;
        }
        if ("UserInitiated".equals(stopCode)) {
            return RunState.STOPPED;
        }
        if (stopCode != null && !"EssentialContainerExited".equals(stopCode)) {
            return RunState.FAILED; // TaskFailedToStart, SpotInterruption, TerminationNotice, InfrastructureHealth
        }
        boolean anyExited = false;
        for (Container c : containers) {
            if (c.reason() != null) {
                return RunState.FAILED;
            }
            if (c.exitCode() != null) {
                anyExited = true;
                if (c.exitCode() != 0 && c.exitCode() != 143) {
                    return RunState.FAILED;
                }
            }
        }
        return anyExited ? RunState.SUCCEEDED : RunState.FAILED;
    }

    /** The error text of a task that did not succeed: its stopped reason and what its containers say. */
    public static String error(String stoppedReason, List<Container> containers) {
        List<String> parts = new ArrayList<>();
        if (stoppedReason != null) {
            parts.add(stoppedReason);
        }
        for (Container c : containers) {
            if (c.reason() != null || (c.exitCode() != null && c.exitCode() != 0 && c.exitCode() != 143)) {
                parts.add("container " + c.name() + (c.exitCode() != null ? " exited " + c.exitCode() : "")
                        + (c.reason() != null ? ": " + c.reason() : ""));
            }
        }
        return parts.isEmpty() ? null : String.join("; ", parts);
    }

    /** The job of a task: its group without {@code family:}, else its task definition's family; null for a service's. */
    public static String jobOf(String group, String taskDefinitionArn) {
        if (group != null) {
            if (group.startsWith("service:")) {
                return null;
            }
            return group.startsWith("family:") ? group.substring("family:".length()) : group;
        }
        Matcher m = taskDefinitionArn == null ? null : FAMILY.matcher(taskDefinitionArn);
        return m != null && m.matches() ? m.group(1) : null;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        String group = optText(d, "detail", "group");
        String taskArn = text(d, "detail", "taskArn");
        String job = jobOf(group, optText(d, "detail", "taskDefinitionArn"));
        if (job == null) {
            if (group != null) {
                return Parsed.notARun("the task belongs to the service " + group.substring("service:".length())
                        + " (group " + group + "), not to a job");
            }
            throw new MalformedEventException("detail.taskDefinitionArn", "a task definition ARN (…:task-definition/FAMILY:REVISION)"
                    + " when the task has no group", "\"" + Fields.clip(String.valueOf(optText(d, "detail", "taskDefinitionArn"))) + "\"");
        }
        String lastStatus = text(d, "detail", "lastStatus");
        List<Container> containers = containers(d.get("containers"));
        RunState outcome = outcome(lastStatus, optText(d, "detail", "stopCode"), containers);
        Instant end = outcome == null ? null : optIsoTime(d, "detail", "stoppedAt");
        return Parsed.of(job, taskArn, lastStatus, outcome, optIsoTime(d, "detail", "startedAt"), end,
                outcome == null ? null : error(optText(d, "detail", "stoppedReason"), containers));
    }

    private static List<Container> containers(JsonNode list) {
        List<Container> out = new ArrayList<>();
        if (list == null || !list.isArray()) {
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            String prefix = "detail.containers[" + i + "]";
            JsonNode exit = c.get("exitCode");
            if (exit != null && !exit.isNull() && !exit.isIntegralNumber()) {
                throw new MalformedEventException(prefix + ".exitCode", "an integer", Fields.describe(exit));
            }
            out.add(new Container(optText(c, prefix, "name"), exit == null || exit.isNull() ? null : exit.intValue(),
                    optText(c, prefix, "reason")));
        }
        return out;
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        Matcher m = runId == null ? null : TASK_ARN.matcher(runId);
        if (m != null && m.matches() && m.group(1) != null) {
            return "ecs/v2/clusters/" + segment(m.group(1)) + "/tasks/" + segment(m.group(2)) + "/configuration?region="
                    + job.region();
        }
        // The job's task definition family (old-format task ARNs do not name the cluster).
        return "ecs/v2/task-definitions/" + segment(job.jobName()) + "?region=" + job.region();
    }

    @Override
    public List<String> reconcileActions() {
        // ListTasks lists one cluster at a time: ListClusters names them; DescribeTasks gives group, times and exits.
        return List.of("ecs:ListClusters", "ecs:ListTasks", "ecs:DescribeTasks");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("detail.group without `family:` (a scheduled task's is its task definition family), else the"
                + " family of detail.taskDefinitionArn; `service:` tasks are not jobs", "detail.taskArn");
    }

    @Override
    public List<String> samples() {
        return List.of("running.json", "stopped-succeeded.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(14, 60, 1200);
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        JobKey k = run.job();
        String cluster = "etl-" + k.account().substring(0, 4);
        String taskId = out.hex(32);
        String taskArn = "arn:aws:ecs:" + k.region() + ":" + k.account() + ":task/" + cluster + "/" + taskId;
        Instant created = run.start().minusSeconds(run.rnd().nextInt(15, 40));
        Instant pulled = created.plusSeconds(run.rnd().nextInt(5, 12));
        event(run, out, taskArn, cluster, created, pulled, "RUNNING", run.start(), null);
        if (!run.neverEnds()) {
            event(run, out, taskArn, cluster, created, pulled, "STOPPED", run.start(), run.end());
        }
    }

    private static void event(SimRun run, SimEvents out, String taskArn, String cluster, Instant created, Instant pulled,
                              String status, Instant started, Instant stopped) {
        JobKey k = run.job();
        boolean stoppedNow = stopped != null;
        ObjectNode e = out.add(k, "aws.ecs", "ECS Task State Change", stoppedNow ? stopped : started);
        e.withArray("resources").add(taskArn);
        ObjectNode d = e.putObject("detail");
        ObjectNode eni = d.putArray("attachments").addObject();
        eni.put("id", out.uuid());
        eni.put("type", "eni");
        eni.put("status", stoppedNow ? "DELETED" : "ATTACHED");
        eni.putArray("details").addObject().put("name", "subnetId").put("value", "subnet-" + out.hex(17));
        d.put("availabilityZone", k.region() + "a");
        d.put("clusterArn", "arn:aws:ecs:" + k.region() + ":" + k.account() + ":cluster/" + cluster);
        ArrayNode containers = d.putArray("containers");
        ObjectNode c = containers.addObject();
        c.put("containerArn", "arn:aws:ecs:" + k.region() + ":" + k.account() + ":container/" + cluster + "/"
                + taskArn.substring(taskArn.lastIndexOf('/') + 1) + "/" + out.uuid());
        // A failed run: the job's own exit code 1, or now and then killed over its memory limit (137 and a reason).
        boolean oom = stoppedNow && run.failed() && run.rnd().nextInt(4) == 0;
        if (stoppedNow) {
            c.put("exitCode", !run.failed() ? 0 : oom ? 137 : 1);
        }
        c.put("lastStatus", status);
        c.put("name", "main");
        c.put("image", k.account() + ".dkr.ecr." + k.region() + ".amazonaws.com/" + k.jobName() + ":latest");
        c.put("taskArn", taskArn);
        c.putArray("networkInterfaces");
        c.put("cpu", "0");
        d.put("createdAt", created.truncatedTo(ChronoUnit.MILLIS).toString());
        d.put("launchType", "FARGATE");
        d.put("cpu", "256");
        d.put("memory", "512");
        d.put("desiredStatus", status);
        d.put("group", "family:" + k.jobName());
        d.put("lastStatus", status);
        d.putObject("overrides").putArray("containerOverrides").addObject().put("name", "main");
        d.put("connectivity", "CONNECTED");
        d.put("connectivityAt", created.plusSeconds(3).truncatedTo(ChronoUnit.MILLIS).toString());
        d.put("pullStartedAt", created.plusSeconds(4).truncatedTo(ChronoUnit.MILLIS).toString());
        d.put("startedAt", started.truncatedTo(ChronoUnit.MILLIS).toString());
        d.put("startedBy", "events-rule/" + k.jobName() + "-schedule");
        if (stoppedNow) {
            d.put("stoppingAt", stopped.minusSeconds(2).truncatedTo(ChronoUnit.MILLIS).toString());
            d.put("stoppedAt", stopped.truncatedTo(ChronoUnit.MILLIS).toString());
            d.put("executionStoppedAt", stopped.minusSeconds(3).truncatedTo(ChronoUnit.MILLIS).toString());
            d.put("stoppedReason", "Essential container in task exited");
            d.put("stopCode", "EssentialContainerExited");
            if (oom) {
                c.put("reason", OOM);
            }
        }
        d.put("pullStoppedAt", pulled.truncatedTo(ChronoUnit.MILLIS).toString());
        d.put("updatedAt", (stoppedNow ? stopped : started).truncatedTo(ChronoUnit.MILLIS).toString());
        d.put("taskArn", taskArn);
        d.put("taskDefinitionArn", "arn:aws:ecs:" + k.region() + ":" + k.account() + ":task-definition/" + k.jobName() + ":7");
        d.put("version", stoppedNow ? 5 : 3);
        d.put("platformVersion", "1.4.0");
    }
}
