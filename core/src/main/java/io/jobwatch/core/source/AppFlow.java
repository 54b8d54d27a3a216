package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.optIsoTime;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * AppFlow: one report at the end of each flow run; hyphenated keys, zoned times like {@code …Z[UTC]}, counters as
 * strings. A success with record failures carries the warning "N of M records failed" (M: records processed).
 */
final class AppFlow extends EventBridgeSource {
    // Events: "Execution Successful" / "Execution Failed"; DescribeFlowExecutionRecords: the ExecutionStatus names.
    private static final StateMap STATES = StateMap.builder()
            .running("InProgress", "CancelStarted")
            .succeeded("Execution Successful", "Successful")
            .failed("Execution Failed", "Error")
            .stopped("Canceled")
            .build();

    AppFlow() {
        super(JobSource.APPFLOW, "aws.appflow", "AppFlow End Flow Run Report");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        Parsed p = Parsed.of(text(d, "detail", "flow-name"), text(d, "detail", "execution-id"),
                text(d, "detail", "status"), optIsoTime(d, "detail", "start-time"), optIsoTime(d, "detail", "end-time"),
                null);
        // A successful run may still have lost records: that is its warning (the normalizer keeps it for successes).
        Long failures = count(d, "num-of-record-failures");
        if (failures == null || failures == 0) {
            return p;
        }
        Long processed = count(d, "num-of-records-processed");
        return p.withWarning(failures + (processed == null ? "" : " of " + processed) + " records failed");
    }

    /** A counter: AppFlow writes every number as a string of digits. Absent or null: unknown. */
    private static Long count(JsonNode d, String name) {
        String v = Fields.optText(d, "detail", name);
        if (v == null) {
            return null;
        }
        if (!v.matches("\\d{1,18}")) {
            throw new MalformedEventException("detail[\"" + name + "\"]", "a count (a string of digits)",
                    "\"" + Fields.clip(v) + "\"");
        }
        return Long.parseLong(v);
    }

    @Override
    public String consolePath(JobKey job, String runId) {
        // The flow's page; its run history tab lists the runs.
        return home("appflow", job.region()) + "#/details/" + segment(job.jobName());
    }

    @Override
    public List<String> reconcileActions() {
        return List.of("appflow:DescribeFlowExecutionRecords");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return false;
    }

    @Override
    public Help help() {
        return new Help("detail[\"flow-name\"]", "detail[\"execution-id\"]");
    }

    @Override
    public List<String> samples() {
        return List.of("success.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(40, 10, 120);
    }

    @Override
    public Duration simEvery(int index) {
        // Every fourth flow syncs hourly.
        return index % 4 == 0 ? Duration.ofHours(1) : Duration.ofDays(1);
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        if (run.neverEnds()) {
            return; // AppFlow reports only the end of a run
        }
        JobKey k = run.job();
        boolean failed = run.failed();
        ObjectNode e = out.add(k, "aws.appflow", "AppFlow End Flow Run Report", run.end());
        e.withArray("resources").add(out.hex(32));
        ObjectNode d = e.putObject("detail");
        int records = run.rnd().nextInt(100, 60_000);
        d.put("flow-name", k.jobName());
        d.put("created-by", "arn:aws:sts::" + k.account() + ":assumed-role/DataPlatformAdmin/ops-user");
        d.put("flow-arn", "arn:aws:appflow:" + k.region() + ":" + k.account() + ":flow/" + k.jobName());
        d.put("source", "Salesforce");
        d.put("destination", "S3");
        d.put("source-object", "Account");
        d.put("destination-object", "s3://lake-" + k.account() + "/raw/" + k.jobName());
        d.put("trigger-type", "SCHEDULED");
        d.put("num-of-records-processed", String.valueOf(failed ? 0 : records));
        d.put("execution-id", out.uuid());
        d.put("num-of-records-filtered", "0");
        d.put("start-time", run.start().truncatedTo(ChronoUnit.MILLIS) + "[UTC]");
        d.put("num-of-documents-processed", "0");
        d.put("end-time", run.end().truncatedTo(ChronoUnit.MILLIS) + "[UTC]");
        // Some successful runs lose a few records (a partial failure: a warning, not a failure).
        int lost = !failed && records % 6 == 0 ? 1 + records % 97 : 0;
        d.put("num-of-record-failures", String.valueOf(failed ? records : lost));
        d.put("data-processed", String.valueOf(failed ? 0 : records * 180L));
        d.put("status", failed ? "Execution Failed" : "Execution Successful");
    }
}
