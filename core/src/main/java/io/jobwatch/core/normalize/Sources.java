package io.jobwatch.core.normalize;

import static io.jobwatch.core.normalize.Fields.optEpochMillis;
import static io.jobwatch.core.normalize.Fields.optIsoTime;
import static io.jobwatch.core.normalize.Fields.optText;
import static io.jobwatch.core.normalize.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobwatch.core.normalize.SourceNormalizer.Parsed;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seven sources' field mappings, each following the event shapes AWS documents (see examples/events/SOURCES.md).
 */
final class Sources {
    private Sources() {
    }

    static List<SourceNormalizer> all() {
        return List.of(new GlueJob(), new GlueCrawler(), new StepFunctions(), new AppFlow(), new DataSync(),
                new Batch(), new EmrServerless());
    }

    private abstract static class Base implements SourceNormalizer {
        private final JobSource source;
        private final String eventSource;
        private final List<String> detailTypes;

        Base(JobSource source, String eventSource, String... detailTypes) {
            this.source = source;
            this.eventSource = eventSource;
            this.detailTypes = List.of(detailTypes);
        }

        @Override
        public JobSource source() {
            return source;
        }

        @Override
        public String eventSource() {
            return eventSource;
        }

        @Override
        public List<String> detailTypes() {
            return detailTypes;
        }
    }

    /** Glue job: terminal "State Change" events and in-flight "Run Status" events (which add startedOn). */
    static final class GlueJob extends Base {
        GlueJob() {
            super(JobSource.GLUE_JOB, "aws.glue", "Glue Job State Change", "Glue Job Run Status");
        }

        @Override
        public Parsed read(Envelope env) {
            JsonNode d = env.detail();
            return new Parsed(text(d, "detail", "jobName"), text(d, "detail", "jobRunId"), text(d, "detail", "state"),
                    optIsoTime(d, "detail", "startedOn"), null, optText(d, "detail", "message"));
        }
    }

    /**
     * Glue crawler: no run id anywhere. The Started event gets {@code crawlerName@startTime}; terminal events get
     * none and the store pairs them with the crawler's open run (a crawler runs one crawl at a time).
     */
    static final class GlueCrawler extends Base {
        GlueCrawler() {
            super(JobSource.GLUE_CRAWLER, "aws.glue", "Glue Crawler State Change");
        }

        @Override
        public Parsed read(Envelope env) {
            JsonNode d = env.detail();
            String name = text(d, "detail", "crawlerName");
            String state = text(d, "detail", "state");
            if (RunState.fromSourceState(state).terminal()) {
                String error = optText(d, "detail", "errorMessage");
                return new Parsed(name, null, state, null, optIsoTime(d, "detail", "completionDate"),
                        error != null ? error : optText(d, "detail", "message"));
            }
            String rawStart = optText(d, "detail", "startTime");
            Instant start = rawStart == null ? env.time() : Fields.parseIso(rawStart, "detail.startTime");
            return new Parsed(name, name + "@" + (rawStart == null ? env.rawTime() : rawStart), state, start, null, null);
        }
    }

    /** Step Functions: the state machine is the job, the execution ARN the run; times in epoch millis. */
    static final class StepFunctions extends Base {
        private static final Pattern STATE_MACHINE = Pattern.compile("arn:[^:]+:states:[^:]*:[^:]*:stateMachine:([^:]+)(:.*)?");

        StepFunctions() {
            super(JobSource.STEP_FUNCTIONS, "aws.states", "Step Functions Execution Status Change");
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
            return new Parsed(m.group(1), text(d, "detail", "executionArn"), text(d, "detail", "status"),
                    optEpochMillis(d, "detail", "startDate"), optEpochMillis(d, "detail", "stopDate"), message);
        }
    }

    /** AppFlow: one report at the end of each flow run; hyphenated keys, zoned times like {@code …Z[UTC]}. */
    static final class AppFlow extends Base {
        AppFlow() {
            super(JobSource.APPFLOW, "aws.appflow", "AppFlow End Flow Run Report");
        }

        @Override
        public Parsed read(Envelope env) {
            JsonNode d = env.detail();
            return new Parsed(text(d, "detail", "flow-name"), text(d, "detail", "execution-id"), text(d, "detail", "status"),
                    optIsoTime(d, "detail", "start-time"), optIsoTime(d, "detail", "end-time"), null);
        }
    }

    /** DataSync: the detail holds only {@code State}; task and execution come from the ARN in resources[0]. */
    static final class DataSync extends Base {
        private static final Pattern EXECUTION =
                Pattern.compile("arn:[^:]+:datasync:[^:]*:[^:]*:task/(task-[0-9a-zA-Z]+)/execution/exec-[0-9a-zA-Z]+");

        DataSync() {
            super(JobSource.DATASYNC, "aws.datasync", "DataSync Task Execution State Change");
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
            return new Parsed(m.group(1), arn, text(env.detail(), "detail", "State"), null, null, null);
        }
    }

    /** AWS Batch: jobName/jobId, epoch-millis startedAt/stoppedAt, statusReason on the way out. */
    static final class Batch extends Base {
        Batch() {
            super(JobSource.BATCH, "aws.batch", "Batch Job State Change");
        }

        @Override
        public Parsed read(Envelope env) {
            JsonNode d = env.detail();
            return new Parsed(text(d, "detail", "jobName"), text(d, "detail", "jobId"), text(d, "detail", "status"),
                    optEpochMillis(d, "detail", "startedAt"), optEpochMillis(d, "detail", "stoppedAt"),
                    optText(d, "detail", "statusReason"));
        }
    }

    /**
     * EMR Serverless: the job is {@code applicationId/jobRunName} (or the application alone); createdAt is the best
     * start the event carries and updatedAt, on a terminal event, the end.
     */
    static final class EmrServerless extends Base {
        EmrServerless() {
            super(JobSource.EMR_SERVERLESS, "aws.emr-serverless", "EMR Serverless Job Run State Change");
        }

        @Override
        public Parsed read(Envelope env) {
            JsonNode d = env.detail();
            String app = text(d, "detail", "applicationId");
            String runName = optText(d, "detail", "jobRunName");
            String state = text(d, "detail", "state");
            Instant updated = optIsoTime(d, "detail", "updatedAt");
            return new Parsed(runName == null ? app : app + "/" + runName, text(d, "detail", "jobRunId"), state,
                    optIsoTime(d, "detail", "createdAt"),
                    RunState.fromSourceState(state).terminal() ? updated : null,
                    optText(d, "detail", "stateDetails"));
        }
    }
}
