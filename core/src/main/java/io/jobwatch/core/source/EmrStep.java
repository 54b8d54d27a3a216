package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.optText;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EMR on EC2 steps. The job is {@code clusterName/stepName}: the cluster's name is in the event's message ("… in
 * Amazon EMR cluster j-… (NAME) …"), so a pipeline that starts a new cluster every night is still one job per step;
 * without a name in the message, the cluster id stands in. The run is {@code clusterId/stepId} (the console and
 * ListSteps need the cluster). The event carries no times but its own: the RUNNING event's time is the step's start.
 */
public final class EmrStep extends EventBridgeSource {
    private static final StateMap STATES = StateMap.builder()
            .pending("PENDING")
            .running("RUNNING", "CANCEL_PENDING")
            .succeeded("COMPLETED")
            .failed("FAILED", "INTERRUPTED")
            .stopped("CANCELLED")
            .build();
    private static final Pattern CLUSTER_NAME =
            Pattern.compile("Amazon EMR cluster (j-[0-9A-Za-z]+) \\((.+?)\\) (?:at|is|was|has|started|completed|failed)\\b");
    private static final Pattern RUN_ID = Pattern.compile("(j-[0-9A-Za-z]+)/(s-[0-9A-Za-z]+)");
    private static final DateTimeFormatter MESSAGE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    EmrStep() {
        super(JobSource.EMR_STEP, "aws.emr", "EMR Step Status Change");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        String clusterId = text(d, "detail", "clusterId");
        String stepId = text(d, "detail", "stepId");
        String step = text(d, "detail", "name");
        String state = text(d, "detail", "state");
        String message = optText(d, "detail", "message");
        String cluster = clusterId;
        Instant started = null;
        if (message != null) {
            Matcher m = CLUSTER_NAME.matcher(message);
            if (m.find() && m.group(1).equals(clusterId)) {
                cluster = m.group(2);
            }
        }
        if ("RUNNING".equalsIgnoreCase(state)) {
            // Sent as the step starts: its time is the start. (The messages give times only to the minute; a start
            // read from them would move the run's start a minute early.)
            started = env.time();
        }
        return Parsed.of(cluster + "/" + step, clusterId + "/" + stepId, state, started, null, message);
    }

    /** The job of a step of a cluster, as the normalizer names it (reconcile listers name listed steps so). */
    public static String jobOf(String clusterName, String clusterId, String stepName) {
        return (clusterName != null && !clusterName.isBlank() ? clusterName : clusterId) + "/" + stepName;
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        Matcher m = runId == null ? null : RUN_ID.matcher(runId);
        if (m != null && m.matches()) {
            return home("emr", job.region()) + "#/clusterDetails/" + segment(m.group(1));
        }
        return home("emr", job.region()) + "#/clusters";
    }

    @Override
    public List<String> reconcileActions() {
        // ListSteps lists one cluster at a time: ListClusters names them (and gives the cluster names of the jobs).
        return List.of("elasticmapreduce:ListClusters", "elasticmapreduce:ListSteps");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("`clusterName/stepName` (the cluster name from detail.message; else detail.clusterId)",
                "`clusterId/stepId` (detail.clusterId, detail.stepId)");
    }

    @Override
    public List<String> samples() {
        return List.of("running.json", "completed.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(10, 600, 3600);
    }

    @Override
    public String simJobName(String prefix, String noun, String verb, SplittableRandom rnd) {
        return prefix + "-emr/" + noun + "-" + verb;
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        String[] parts = run.job().jobName().split("/", 2);
        // A transient cluster per run: a new id every time, the same name.
        String clusterId = "j-" + out.upperAlnum(13);
        String stepId = "s-" + out.upperAlnum(13);
        Instant added = run.start().minusSeconds(run.rnd().nextInt(30, 300));
        String in = "in Amazon EMR cluster " + clusterId + " (" + parts[0] + ")";
        String step = "Step " + stepId + " (" + parts[1] + ")";
        event(run, out, clusterId, stepId, parts[1], "PENDING", "INFO", added, step + " was added to Amazon EMR cluster "
                + clusterId + " (" + parts[0] + ") at " + MESSAGE_TIME.format(added) + " and is pending execution.");
        event(run, out, clusterId, stepId, parts[1], "RUNNING", "INFO", run.start(),
                step + " " + in + " started running at " + MESSAGE_TIME.format(run.start()) + ".");
        if (run.neverEnds()) {
            return;
        }
        if (run.failed()) {
            event(run, out, clusterId, stepId, parts[1], "FAILED", "ERROR", run.end(),
                    step + " " + in + " failed at " + MESSAGE_TIME.format(run.end()) + ".");
        } else {
            long minutes = Math.max(1, (run.end().getEpochSecond() - run.start().getEpochSecond()) / 60);
            event(run, out, clusterId, stepId, parts[1], "COMPLETED", "INFO", run.end(),
                    step + " " + in + " completed execution at " + MESSAGE_TIME.format(run.end()) + ". The step started"
                    + " running at " + MESSAGE_TIME.format(run.start()) + " and took " + minutes + " minutes to complete.");
        }
    }

    private static void event(SimRun run, SimEvents out, String clusterId, String stepId, String name, String state,
                              String severity, Instant at, String message) {
        ObjectNode d = out.add(run.job(), "aws.emr", "EMR Step Status Change", at).putObject("detail");
        d.put("severity", severity);
        d.put("actionOnFailure", "CONTINUE");
        d.put("stepId", stepId);
        d.put("name", name);
        d.put("clusterId", clusterId);
        d.put("state", state);
        d.put("message", message);
    }
}
