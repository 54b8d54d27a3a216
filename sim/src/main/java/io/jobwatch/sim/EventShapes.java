package io.jobwatch.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Builds the EventBridge events of one run in the shapes AWS documents for each service (the same key sets and
 * nesting as examples/events). Only values are made up.
 */
final class EventShapes {
    private static final String[] GLUE_ERRORS = {
        "An error occurred while calling o112.pyWriteDynamicFrame. Access Denied (Service: Amazon S3; Status Code: 403)",
        "Command failed with exit code 1 - java.lang.OutOfMemoryError: Java heap space",
        "AnalysisException: cannot resolve 'order_ts' given input columns",
        "Role arn:aws:iam::%s:role/GlueEtlRole should be given assume role permissions for Glue Service."};
    private static final String[] SFN_ERRORS = {"States.TaskFailed", "States.Timeout", "Lambda.ServiceException"};
    private static final String[] BATCH_ERRORS = {"Essential container in task exited",
        "Host EC2 (instance i-0a1b2c3d4e5f67890) terminated.", "CannotPullContainerError: pull image manifest has been retried 5 time(s)"};

    private final ObjectMapper mapper;

    EventShapes(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    List<ObjectNode> run(SimJob job, int jobIndex, long runNumber, Instant start, Instant end, boolean failed,
                         boolean neverEnds, SplittableRandom rnd) {
        JobKey k = job.key();
        List<ObjectNode> out = new ArrayList<>();
        switch (k.source()) {
            case GLUE_JOB -> glueJob(out, k, start, end, failed, neverEnds, rnd);
            case GLUE_CRAWLER -> crawler(out, k, start, end, failed, neverEnds, rnd);
            case STEP_FUNCTIONS -> stepFunctions(out, k, runNumber, start, end, failed, neverEnds, rnd);
            case APPFLOW -> {
                if (!neverEnds) {
                    appflow(out, k, start, end, failed, rnd);
                }
            }
            case DATASYNC -> datasync(out, k, start, end, failed, neverEnds, rnd);
            case BATCH -> batch(out, k, start, end, failed, neverEnds, rnd);
            case EMR_SERVERLESS -> emr(out, k, start, end, failed, neverEnds, rnd);
        }
        return out;
    }

    private ObjectNode envelope(JobKey k, String source, String detailType, Instant time, SplittableRandom rnd) {
        ObjectNode e = mapper.createObjectNode();
        e.put("version", "0");
        e.put("id", new UUID(rnd.nextLong(), rnd.nextLong()).toString());
        e.put("detail-type", detailType);
        e.put("source", source);
        e.put("account", k.account());
        e.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("region", k.region());
        e.putArray("resources");
        return e;
    }

    private void glueJob(List<ObjectNode> out, JobKey k, Instant start, Instant end, boolean failed, boolean neverEnds,
                         SplittableRandom rnd) {
        String runId = "jr_" + Simulator.hex(rnd, 64);
        Instant notifyAt = start.plusSeconds(30 * 60);
        if (neverEnds || notifyAt.isBefore(end)) {
            // Glue emits "Run Status" only when a run outlives its NotifyDelayAfter (here 30 minutes).
            ObjectNode e = envelope(k, "aws.glue", "Glue Job Run Status", notifyAt, rnd);
            ObjectNode d = e.putObject("detail");
            d.put("jobName", k.jobName());
            d.put("severity", "INFO");
            d.putObject("notificationCondition").put("NotifyDelayAfter", 30.0);
            d.put("state", "RUNNING");
            d.put("jobRunId", runId);
            d.put("message", "Job is in RUNNING state");
            d.put("startedOn", start.truncatedTo(ChronoUnit.MILLIS).toString());
            out.add(e);
        }
        if (neverEnds) {
            return;
        }
        ObjectNode e = envelope(k, "aws.glue", "Glue Job State Change", end, rnd);
        ObjectNode d = e.putObject("detail");
        boolean timeout = failed && rnd.nextInt(5) == 0;
        d.put("jobName", k.jobName());
        d.put("severity", failed ? (timeout ? "WARN" : "ERROR") : "INFO");
        d.put("state", failed ? (timeout ? "TIMEOUT" : "FAILED") : "SUCCEEDED");
        d.put("jobRunId", runId);
        d.put("message", !failed ? "Job run succeeded" : timeout ? "Job run timed out"
                : "JobName:" + k.jobName() + " and JobRunId:" + runId + " failed to execute with exception "
                + String.format(GLUE_ERRORS[rnd.nextInt(GLUE_ERRORS.length)], k.account()));
        out.add(e);
    }

    private void crawler(List<ObjectNode> out, JobKey k, Instant start, Instant end, boolean failed, boolean neverEnds,
                         SplittableRandom rnd) {
        String log = "https://console.aws.amazon.com/cloudwatch/home?region=" + k.region()
                + "#logEventViewer:group=/aws-glue/crawlers;stream=" + k.jobName();
        ObjectNode s = envelope(k, "aws.glue", "Glue Crawler State Change", start, rnd);
        ObjectNode sd = s.putObject("detail");
        sd.put("accountId", k.account());
        sd.put("crawlerName", k.jobName());
        sd.put("startTime", start.truncatedTo(ChronoUnit.SECONDS).toString());
        sd.put("state", "Started");
        sd.put("message", "Crawler Started");
        out.add(s);
        if (neverEnds) {
            return;
        }
        ObjectNode e = envelope(k, "aws.glue", "Glue Crawler State Change", end, rnd);
        ObjectNode d = e.putObject("detail");
        if (failed) {
            d.put("crawlerName", k.jobName());
            d.put("errorMessage", rnd.nextBoolean() ? "Internal Service Exception" : "Insufficient Lake Formation permission(s) on raw_db");
            d.put("accountId", k.account());
            d.put("cloudWatchLogLink", log);
            d.put("state", "Failed");
            d.put("message", "Crawler Failed");
        } else {
            d.put("tablesCreated", "0");
            d.put("warningMessage", "N/A");
            d.put("partitionsUpdated", String.valueOf(rnd.nextInt(5)));
            d.put("tablesUpdated", String.valueOf(rnd.nextInt(3)));
            d.put("message", "Crawler Succeeded");
            d.put("partitionsDeleted", "0");
            d.put("accountId", k.account());
            d.put("runningTime (sec)", String.valueOf(end.getEpochSecond() - start.getEpochSecond()));
            d.put("tablesDeleted", "0");
            d.put("crawlerName", k.jobName());
            d.put("completionDate", end.truncatedTo(ChronoUnit.SECONDS).toString());
            d.put("state", "Succeeded");
            d.put("partitionsCreated", String.valueOf(rnd.nextInt(30)));
            d.put("cloudWatchLogLink", log);
        }
        out.add(e);
    }

    private void stepFunctions(List<ObjectNode> out, JobKey k, long runNumber, Instant start, Instant end,
                               boolean failed, boolean neverEnds, SplittableRandom rnd) {
        String name = "run-" + runNumber + "-" + Simulator.hex(rnd, 8);
        String machine = "arn:aws:states:" + k.region() + ":" + k.account() + ":stateMachine:" + k.jobName();
        String exec = "arn:aws:states:" + k.region() + ":" + k.account() + ":execution:" + k.jobName() + ":" + name;
        out.add(sfnEvent(k, machine, exec, name, "RUNNING", start, null, false, rnd));
        if (!neverEnds) {
            boolean timedOut = failed && rnd.nextInt(6) == 0;
            out.add(sfnEvent(k, machine, exec, name, failed ? (timedOut ? "TIMED_OUT" : "FAILED") : "SUCCEEDED", start, end,
                    failed && !timedOut, rnd));
        }
    }

    private ObjectNode sfnEvent(JobKey k, String machine, String exec, String name, String status, Instant start,
                                Instant stop, boolean withError, SplittableRandom rnd) {
        ObjectNode e = envelope(k, "aws.states", "Step Functions Execution Status Change", stop == null ? start : stop, rnd);
        e.withArray("resources").add(exec);
        ObjectNode d = e.putObject("detail");
        d.put("executionArn", exec);
        d.put("stateMachineArn", machine);
        d.put("name", name);
        d.put("status", status);
        d.put("startDate", start.toEpochMilli());
        if (stop == null) {
            d.putNull("stopDate");
        } else {
            d.put("stopDate", stop.toEpochMilli());
        }
        d.put("input", "{\"runDate\":\"" + start.toString().substring(0, 10) + "\"}");
        d.putObject("inputDetails").put("included", true);
        if ("SUCCEEDED".equals(status)) {
            d.put("output", "{\"rowsLoaded\":" + rnd.nextInt(1, 5_000_000) + "}");
            d.putObject("outputDetails").put("included", true);
        } else {
            d.putNull("output");
            d.putNull("outputDetails");
        }
        if (withError) {
            // Live events may carry error/cause (the DescribeExecution fields); the archived doc samples do not.
            d.put("error", SFN_ERRORS[rnd.nextInt(SFN_ERRORS.length)]);
            d.put("cause", "Task in state 'Load' failed after 3 attempts");
        }
        return e;
    }

    private void appflow(List<ObjectNode> out, JobKey k, Instant start, Instant end, boolean failed, SplittableRandom rnd) {
        ObjectNode e = envelope(k, "aws.appflow", "AppFlow End Flow Run Report", end, rnd);
        e.withArray("resources").add(Simulator.hex(rnd, 32));
        ObjectNode d = e.putObject("detail");
        int records = rnd.nextInt(100, 60_000);
        d.put("flow-name", k.jobName());
        d.put("created-by", "arn:aws:sts::" + k.account() + ":assumed-role/DataPlatformAdmin/ops-user");
        d.put("flow-arn", "arn:aws:appflow:" + k.region() + ":" + k.account() + ":flow/" + k.jobName());
        d.put("source", "Salesforce");
        d.put("destination", "S3");
        d.put("source-object", "Account");
        d.put("destination-object", "s3://lake-" + k.account() + "/raw/" + k.jobName());
        d.put("trigger-type", "SCHEDULED");
        d.put("num-of-records-processed", String.valueOf(failed ? 0 : records));
        d.put("execution-id", new UUID(rnd.nextLong(), rnd.nextLong()).toString());
        d.put("num-of-records-filtered", "0");
        d.put("start-time", start.truncatedTo(ChronoUnit.MILLIS) + "[UTC]");
        d.put("num-of-documents-processed", "0");
        d.put("end-time", end.truncatedTo(ChronoUnit.MILLIS) + "[UTC]");
        d.put("num-of-record-failures", String.valueOf(failed ? records : 0));
        d.put("data-processed", String.valueOf(failed ? 0 : records * 180L));
        d.put("status", failed ? "Execution Failed" : "Execution Successful");
        out.add(e);
    }

    private void datasync(List<ObjectNode> out, JobKey k, Instant start, Instant end, boolean failed, boolean neverEnds,
                          SplittableRandom rnd) {
        String arn = "arn:aws:datasync:" + k.region() + ":" + k.account() + ":task/" + k.jobName() + "/execution/exec-"
                + Simulator.hex(rnd, 17);
        long span = Math.max(10, end.getEpochSecond() - start.getEpochSecond());
        out.add(datasyncEvent(k, arn, "LAUNCHING", start, rnd));
        out.add(datasyncEvent(k, arn, "PREPARING", start.plusSeconds(span / 20), rnd));
        out.add(datasyncEvent(k, arn, "TRANSFERRING", start.plusSeconds(span / 10), rnd));
        if (neverEnds) {
            return;
        }
        if (!failed) {
            out.add(datasyncEvent(k, arn, "VERIFYING", start.plusSeconds(span * 9 / 10), rnd));
        }
        out.add(datasyncEvent(k, arn, failed ? "ERROR" : "SUCCESS", end, rnd));
    }

    private ObjectNode datasyncEvent(JobKey k, String arn, String state, Instant at, SplittableRandom rnd) {
        ObjectNode e = envelope(k, "aws.datasync", "DataSync Task Execution State Change", at, rnd);
        e.withArray("resources").add(arn);
        e.putObject("detail").put("State", state);
        return e;
    }

    private void batch(List<ObjectNode> out, JobKey k, Instant start, Instant end, boolean failed, boolean neverEnds,
                       SplittableRandom rnd) {
        String jobId = new UUID(rnd.nextLong(), rnd.nextLong()).toString();
        Instant created = start.minusSeconds(rnd.nextInt(20, 60));
        out.add(batchEvent(k, jobId, "SUBMITTED", created, created, null, null, null, rnd));
        out.add(batchEvent(k, jobId, "RUNNABLE", created.plusSeconds(2), created, null, null, null, rnd));
        out.add(batchEvent(k, jobId, "STARTING", start.minusSeconds(5), created, null, null, null, rnd));
        out.add(batchEvent(k, jobId, "RUNNING", start, created, start, null, null, rnd));
        if (!neverEnds) {
            String reason = failed ? BATCH_ERRORS[rnd.nextInt(BATCH_ERRORS.length)] : "Essential container in task exited";
            out.add(batchEvent(k, jobId, failed ? "FAILED" : "SUCCEEDED", end, created, start, end, reason, rnd));
        }
    }

    private ObjectNode batchEvent(JobKey k, String jobId, String status, Instant at, Instant created, Instant started,
                                  Instant stopped, String reason, SplittableRandom rnd) {
        ObjectNode e = envelope(k, "aws.batch", "Batch Job State Change", at, rnd);
        String jobArn = "arn:aws:batch:" + k.region() + ":" + k.account() + ":job/" + jobId;
        e.withArray("resources").add(jobArn);
        ObjectNode d = e.putObject("detail");
        d.put("jobArn", jobArn);
        d.put("jobName", k.jobName());
        d.put("jobId", jobId);
        d.put("jobQueue", "arn:aws:batch:" + k.region() + ":" + k.account() + ":job-queue/etl-standard");
        d.put("status", status);
        ArrayNode attempts = d.putArray("attempts");
        if (stopped != null) {
            ObjectNode a = attempts.addObject();
            a.putObject("container").put("exitCode", reason != null && status.equals("FAILED") ? 1 : 0)
                    .put("logStreamName", k.jobName() + "/default/" + Simulator.hex(rnd, 32));
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
        return e;
    }

    private void emr(List<ObjectNode> out, JobKey k, Instant start, Instant end, boolean failed, boolean neverEnds,
                     SplittableRandom rnd) {
        String[] parts = k.jobName().split("/", 2);
        String runId = "00fh" + Simulator.base36(rnd, 12);
        Instant created = start.minusSeconds(rnd.nextInt(10, 40));
        out.add(emrEvent(k, parts, runId, "SUBMITTED", null, created, created, rnd));
        out.add(emrEvent(k, parts, runId, "SCHEDULED", "SUBMITTED", created.plusSeconds(3), created, rnd));
        out.add(emrEvent(k, parts, runId, "RUNNING", "SCHEDULED", start, created, rnd));
        if (!neverEnds) {
            out.add(emrEvent(k, parts, runId, failed ? "FAILED" : "SUCCESS", "RUNNING", end, created, rnd));
        }
    }

    private ObjectNode emrEvent(JobKey k, String[] parts, String runId, String state, String previous, Instant at,
                                Instant created, SplittableRandom rnd) {
        ObjectNode e = envelope(k, "aws.emr-serverless", "EMR Serverless Job Run State Change", at, rnd);
        ObjectNode d = e.putObject("detail");
        d.put("jobRunId", runId);
        if (parts.length > 1) {
            d.put("jobRunName", parts[1]);
        }
        d.put("applicationId", parts[0]);
        d.put("arn", "arn:aws:emr-serverless:" + k.region() + ":" + k.account() + ":/applications/" + parts[0] + "/jobruns/" + runId);
        d.put("releaseLabel", "emr-7.2.0");
        d.put("state", state);
        if (previous != null) {
            d.put("previousState", previous);
        }
        d.put("createdBy", "arn:aws:sts::" + k.account() + ":assumed-role/EmrServerlessSubmitter/airflow-worker-1");
        d.put("updatedAt", at.truncatedTo(ChronoUnit.MICROS).toString());
        d.put("createdAt", created.truncatedTo(ChronoUnit.MICROS).toString());
        return e;
    }
}
