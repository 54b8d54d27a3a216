package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.optEpochMillis;
import static io.jobwatch.core.source.Fields.optText;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import java.util.List;

/**
 * AWS Batch: jobName (its per-run suffix stripped) / jobId, epoch-millis startedAt/stoppedAt and statusReason, else the
 * last of {@code attempts[]}; array children and multi-node nodes are not runs of their own.
 */
final class Batch extends EventBridgeSource {
    private static final StateMap STATES = StateMap.builder()
            .pending("SUBMITTED", "PENDING", "RUNNABLE")
            .running("STARTING", "RUNNING")
            .succeeded("SUCCEEDED")
            .failed("FAILED")
            .build();
    private static final String[] ERRORS = {"Essential container in task exited",
        "Host EC2 (instance i-0a1b2c3d4e5f67890) terminated.", "CannotPullContainerError: pull image manifest has been retried 5 time(s)"};

    Batch() {
        super(JobSource.BATCH, "aws.batch", "Batch Job State Change");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        String jobId = text(d, "detail", "jobId");
        // Array children (jobId "<parent>:<index>") and multi-node nodes ("<job>#<node>") are parts of one job: the
        // parent's (the main node's) events decide its run (Batch user guide, array jobs and multi-node parallel jobs).
        int colon = jobId.lastIndexOf(':');
        if (colon > 0 && jobId.substring(colon + 1).matches("\\d+")) {
            return Parsed.notARun("child " + jobId.substring(colon + 1) + " of array job " + jobId.substring(0, colon)
                    + ": the array job's own events decide its run");
        }
        int hash = jobId.lastIndexOf('#');
        if (hash > 0 && jobId.substring(hash + 1).matches("\\d+")) {
            return Parsed.notARun("node " + jobId.substring(hash + 1) + " of multi-node parallel job "
                    + jobId.substring(0, hash) + ": the job's own events (its main node's) decide its run");
        }
        String status = text(d, "detail", "status");
        boolean terminal = state(status).terminal();
        JsonNode attempts = d.get("attempts");
        if (attempts != null && !attempts.isNull() && !attempts.isArray()) {
            throw new MalformedEventException("detail.attempts", "an array", Fields.describe(attempts));
        }
        int tried = attempts == null || attempts.isNull() ? 0 : attempts.size();
        JsonNode last = tried == 0 ? null : attempts.get(tried - 1);
        if (last != null && !last.isObject()) {
            throw new MalformedEventException("detail.attempts[" + (tried - 1) + "]", "an object", Fields.describe(last));
        }
        String lastPath = "detail.attempts[" + (tried - 1) + "]";
        // The top level, else the last attempt: some failures carry their reason, exit code and times only there.
        Instant started = optEpochMillis(d, "detail", "startedAt");
        Instant stopped = optEpochMillis(d, "detail", "stoppedAt");
        String reason = optText(d, "detail", "statusReason");
        if (last != null && terminal) {
            started = started != null ? started : optEpochMillis(last, lastPath, "startedAt");
            stopped = stopped != null ? stopped : optEpochMillis(last, lastPath, "stoppedAt");
            reason = reason != null ? reason : optText(last, lastPath, "statusReason");
        }
        // attempts[] lists the attempts that ended: a finished job's count is its attempt, a job under way is one more.
        int attempt = terminal ? Math.max(1, tried) : tried + 1;
        return Parsed.of(text(d, "detail", "jobName"), jobId, status, started, stopped, failure(reason, last, lastPath))
                .withAttempt(attempt);
    }

    /** The reason, then the last attempt's container exit code (when not 0) and its reason: what a person needs. */
    private static String failure(String reason, JsonNode last, String lastPath) {
        JsonNode c = last == null ? null : last.get("container");
        if (c == null || !c.isObject()) {
            return reason;
        }
        StringBuilder b = new StringBuilder(reason == null ? "" : reason);
        JsonNode exit = c.get("exitCode");
        if (exit != null && exit.isIntegralNumber() && exit.asInt() != 0) {
            b.append(b.length() == 0 ? "" : "; ").append("exit code ").append(exit.asInt());
        }
        String why = optText(c, lastPath + ".container", "reason");
        if (why != null && (reason == null || !reason.contains(why))) {
            b.append(b.length() == 0 ? "" : exit != null && exit.isIntegralNumber() && exit.asInt() != 0 ? ": " : "; ")
                    .append(why);
        }
        return b.length() == 0 ? null : b.toString();
    }

    /** A job name's per-run suffix (an epoch, a UUID, a date/time stamp …) is not part of the job. */
    @Override
    public StableName stableName(String raw) {
        return strippedOfPerRunSuffix(raw);
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        return runId == null ? home("batch", job.region()) + "#jobs"
                : home("batch", job.region()) + "#jobs/detail/" + segment(runId);
    }

    @Override
    public List<String> reconcileActions() {
        // ListJobs lists one queue at a time: DescribeJobQueues names the queues.
        return List.of("batch:DescribeJobQueues", "batch:ListJobs");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("detail.jobName", "detail.jobId");
    }

    @Override
    public List<String> samples() {
        return List.of("running.json", "failed.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(70, 300, 3600);
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        String jobId = out.uuid();
        Instant start = run.start();
        Instant created = start.minusSeconds(run.rnd().nextInt(20, 60));
        event(run, out, jobId, "SUBMITTED", created, created, null, null, null);
        event(run, out, jobId, "RUNNABLE", created.plusSeconds(2), created, null, null, null);
        event(run, out, jobId, "STARTING", start.minusSeconds(5), created, null, null, null);
        event(run, out, jobId, "RUNNING", start, created, start, null, null);
        if (!run.neverEnds()) {
            String reason = run.failed() ? ERRORS[run.rnd().nextInt(ERRORS.length)] : "Essential container in task exited";
            event(run, out, jobId, run.failed() ? "FAILED" : "SUCCEEDED", run.end(), created, start, run.end(), reason);
        }
    }

    private static void event(SimRun run, SimEvents out, String jobId, String status, Instant at, Instant created,
                              Instant started, Instant stopped, String reason) {
        JobKey k = run.job();
        ObjectNode e = out.add(k, "aws.batch", "Batch Job State Change", at);
        String jobArn = "arn:aws:batch:" + k.region() + ":" + k.account() + ":job/" + jobId;
        e.withArray("resources").add(jobArn);
        ObjectNode d = e.putObject("detail");
        d.put("jobArn", jobArn);
        // Some jobs are submitted with a per-run name (the job name and the submit time in epoch seconds), as in many
        // real estates: one job all the same.
        d.put("jobName", Math.floorMod(k.jobName().hashCode(), 4) == 0 ? k.jobName() + "-" + created.getEpochSecond()
                : k.jobName());
        d.put("jobId", jobId);
        d.put("jobQueue", "arn:aws:batch:" + k.region() + ":" + k.account() + ":job-queue/etl-standard");
        d.put("status", status);
        ArrayNode attempts = d.putArray("attempts");
        if (stopped != null) {
            ObjectNode a = attempts.addObject();
            a.putObject("container").put("exitCode", reason != null && status.equals("FAILED") ? 1 : 0)
                    .put("logStreamName", k.jobName() + "/default/" + out.hex(32));
            a.put("startedAt", started.toEpochMilli());
            a.put("stoppedAt", stopped.toEpochMilli());
            a.put("statusReason", reason);
        }
        if (reason != null) {
            d.put("statusReason", reason);
        }
        d.put("createdAt", created.toEpochMilli());
        d.putObject("retryStrategy").put("attempts", 1).putArray("evaluateOnExit");
        if (started != null) {
            d.put("startedAt", started.toEpochMilli());
        }
        if (stopped != null) {
            d.put("stoppedAt", stopped.toEpochMilli());
        }
        d.putArray("dependsOn");
        d.put("jobDefinition", "arn:aws:batch:" + k.region() + ":" + k.account() + ":job-definition/" + k.jobName() + ":3");
        d.putObject("parameters");
        ObjectNode c = d.putObject("container");
        c.put("image", k.account() + ".dkr.ecr." + k.region() + ".amazonaws.com/" + k.jobName() + ":latest");
        c.putArray("command").add("python").add("-m").add("job.run");
        c.putArray("volumes");
        c.putArray("environment");
        c.putArray("mountPoints");
        c.putArray("ulimits");
        c.putArray("networkInterfaces");
        c.putArray("resourceRequirements").addObject().put("value", "2").put("type", "VCPU");
        c.putArray("secrets");
        d.putObject("tags").put("resourceArn", jobArn);
        d.put("propagateTags", false);
        d.putArray("platformCapabilities").add("EC2");
        d.putArray("eksAttempts");
    }
}
