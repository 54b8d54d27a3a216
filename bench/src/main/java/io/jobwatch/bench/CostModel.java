package io.jobwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.store.Rollups;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The monthly AWS bill of the AWS deployment, computed from the requests and units counted by
 * {@link SeedComparison} (per event, per digest, per SLA check, per exported day, bytes per run) and the public
 * on-demand prices in {@code aws-prices.json}, for a {@link Layout} of the stack (how events reach the ingest function,
 * which scheduled functions run how often at what size). What was not counted is an {@link Assumptions assumption},
 * printed with the bill. Free tiers are not applied.
 */
final class CostModel {
    static final double SEED_LOW = 0.25;
    static final double SEED_HIGH = 0.39;
    /** The goals: all in, every feature kept. */
    static final double GOAL_1X = 0.30;
    static final double GOAL_100X = 25.0;
    /** The item diet's target (issue 21): write units per ingested event. */
    static final double DIET_WRU_PER_EVENT = 1.5;
    private static final double DAYS = 30;
    private static final double GB = 1024.0 * 1024 * 1024;
    /** Lambda gives a function one full vCPU at 1,769 MB; CPU-bound work takes as long below it × 1,769 / memory. */
    private static final double FULL_VCPU_GB = 1769.0 / 1024;

    /** The price table (one file, dated). */
    record Prices(String date, String region, String source, JsonNode prices) {
        static Prices load() throws IOException {
            try (InputStream in = CostModel.class.getResourceAsStream("/aws-prices.json")) {
                if (in == null) {
                    throw new IOException("aws-prices.json is missing from the bench jar");
                }
                JsonNode root = new ObjectMapper().readTree(in);
                for (String f : List.of("date", "region", "source", "prices")) {
                    if (!root.hasNonNull(f)) {
                        throw new IOException("aws-prices.json: field '" + f + "' is missing");
                    }
                }
                return new Prices(root.get("date").asText(), root.get("region").asText(), root.get("source").asText(),
                        root.get("prices"));
            }
        }

        double get(String name) {
            JsonNode v = prices.get(name);
            if (v == null || !v.isNumber()) {
                throw new IllegalStateException("aws-prices.json: price '" + name + "' is missing or not a number");
            }
            return v.asDouble();
        }
    }

    /** How events reach the ingest function (the stack's {@code ingestMode}). */
    enum Ingest {
        DIRECT, QUEUE
    }

    /**
     * Where a finished run is judged and its incident actions sent (issue 25): by the 5-minute function (before),
     * inline in the ingest function (the stack now), or by a decision function fed by a DynamoDB Stream on the table
     * with a filter for terminal runs (the alternative measured beside it).
     */
    enum Alerts {
        SCHEDULED, INLINE, STREAM
    }

    /**
     * What the stack runs, and how often, at what size.
     *
     * @param fiveMinuteFunctions  scheduled functions doing the 5-minute work (1: the periodic function; 2: SLA and
     *                             outbox apart, as before)
     * @param reconcileRunsPerDay  reconcile invocations a day (144 = every 10 minutes, 96 = every 15)
     * @param reconcileMemoryGb    the reconcile function's memory
     * @param reconcileConcurrency scopes the reconcile function asks at once
     * @param snapStart            SnapStart on ingest and the functions that start cold (digest, reconcile, export)
     */
    record Layout(String name, Ingest ingest, int fiveMinuteFunctions, double reconcileRunsPerDay,
                  double reconcileMemoryGb, int reconcileConcurrency, boolean snapStart, Alerts alerts) {
        Layout(String name, Ingest ingest, int fiveMinuteFunctions, double reconcileRunsPerDay,
               double reconcileMemoryGb, int reconcileConcurrency, boolean snapStart) {
            this(name, ingest, fiveMinuteFunctions, reconcileRunsPerDay, reconcileMemoryGb, reconcileConcurrency,
                    snapStart, Alerts.INLINE);
        }

        /** This layout with finished runs judged where {@code where} says. */
        Layout alerts(Alerts where, String label) {
            return new Layout(label, ingest, fiveMinuteFunctions, reconcileRunsPerDay, reconcileMemoryGb,
                    reconcileConcurrency, snapStart, where);
        }

        /**
         * The stack before this change: SQS, SLA and outbox apart, reconcile every 15 min at 1 GB one scope at a time,
         * no SnapStart.
         */
        static Layout before() {
            return new Layout("before: SQS, SLA + outbox apart, reconcile 15 min, 1024 MB, 1 scope at a time, no SnapStart",
                    Ingest.QUEUE, 2, 96, 1.0, 1, false, Alerts.SCHEDULED);
        }

        /** The stack now with {@code ingestMode=direct} (the default). */
        static Layout direct(double reconcileMemoryGb) {
            return new Layout("now, ingestMode=direct", Ingest.DIRECT, 1, 144, reconcileMemoryGb, 8, true);
        }

        /** The stack now with {@code ingestMode=queue}. */
        static Layout queue(double reconcileMemoryGb) {
            return new Layout("now, ingestMode=queue", Ingest.QUEUE, 1, 144, reconcileMemoryGb, 8, true);
        }
    }

    /**
     * What the counts do not give, with the infrastructure's defaults (CentralStack / InfraConfig) where they exist.
     * Durations are billed per ms; a DynamoDB round trip in-region is taken as 8 ms, a control-plane API call
     * (STS, Glue, Step Functions, …) as 40 ms.
     */
    record Assumptions(double teamsAt1x, double digestInvocationsPerDay, double digestSendsPerDay,
                       double fiveMinuteRunsPerDay, double exportsPerDay, double sqsBatchSize,
                       double sqsWindowSeconds, double sqsIdleReceivesPerMonth, double msPerDynamoRequest,
                       double msPerApiCall, double invocationBaseMs, double digestRenderMs, double coldStartCpuMs,
                       double snapStartColdShare, double exportCpuMsPerRun, double criticalJobShare,
                       double reconcileCallsPerJob, double reconcileCpuMsPerCall, double reconcileReadsPerListedRun,
                       double logBytesPerInvocation, double athenaQueriesPerMonth, double exportRetentionDays,
                       double outboxRruPerRun, double emailsPerTeamDigest, double reconcileMemoryGb,
                       double msPerServiceNowRequest) {
        static Assumptions defaults() {
            return new Assumptions(3, 24, 4, 288, 1, 10, 5, 648_000, 8, 40, 10, 300, 900, 0.25, 0.01, 0.02, 1.1, 2.5,
                    1, 700, 30, 365, 0.5, 1, 0.25, 300);
        }

        List<String> describe() {
            return List.of(
                    String.format("teams: %.0f at 1× (one per system), growing with the jobs; one SES email per team per digest (a team list address)", teamsAt1x),
                    String.format("schedules (InfraConfig defaults): digest hourly (%.0f invocations/day; the ~%.0f/day that send read the store and render), the 5-minute work every 5 min (one function now, two before), reconcile every 10 min now (every 15 before), export daily", digestInvocationsPerDay, digestSendsPerDay),
                    "ingest, direct: one asynchronous invocation per event (EventBridge → Lambda delivery is free; no queue, no pollers)",
                    String.format("ingest, queue: EventBridge → SQS → Lambda, batch ≤ %.0f, window %.0f s; invocations = windows × (1 − e^(−events/window)), at least events/10 (events spread evenly: bursts batch better); SQS: 1 SendMessage per event, 1 ReceiveMessage + 1 DeleteMessageBatch per invocation, plus ~%,.0f empty long-poll receives/month by the Lambda pollers (5 pollers × 3/min; estimate — check NumberOfEmptyReceives)", sqsBatchSize, sqsWindowSeconds, sqsIdleReceivesPerMonth),
                    String.format("Lambda arm64: duration = %.0f ms + %.0f ms per DynamoDB request (ingest, the 5-minute work: 512 MB, warm); digest + %.0f ms rendering/sending when it sends (512 MB); export + %.2f ms CPU per run (1024 MB); CPU-bound work is billed as if at a full vCPU (1,769 MB: below it Lambda gives CPU in proportion to memory, so time × memory stays the same)", invocationBaseMs, msPerDynamoRequest, digestRenderMs, exportCpuMsPerRun),
                    String.format("cold starts (billed since Aug 2025): digest, reconcile and export start cold on every run — %.0f ms of CPU at 1 vCPU (JVM start + init, `jobwatch bench lambda-reconcile`); with SnapStart a cold start bills %.0f%% of that (restoring the runtime, the first call's class loading: not measurable locally, an estimate)", coldStartCpuMs, snapStartColdShare * 100),
                    String.format("reconcile (measured by `jobwatch bench lambda-reconcile` on the 1× estate: %.1f API calls per job in an hourly all-jobs pass, %.1f ms of CPU per call): one listing call per critical job (%.0f%% of the jobs) in every other pass, one STS AssumeRole per member account and region per cold pass; %.0f ms per call (in-region round trip, an estimate) waited for %d at a time now, one at a time before; one GetItem (%.0f RRU) per listed run — the runs of the pass's lookback (twice its interval); %.0f MB now (peak RSS ~160 MB measured), 1024 MB before", reconcileCallsPerJob, reconcileCpuMsPerCall, criticalJobShare * 100, msPerApiCall, 8, reconcileReadsPerListedRun, reconcileMemoryGb * 1024),
                    String.format("outbox: one Query of the pending-entries index per run of the 5-minute work (%.1f RRU, nothing pending) — now a retry-only pass: finished runs are judged and their actions sent by the ingest function", outboxRruPerRun),
                    String.format("incident decisions and sending (counted per ingested event: the GetItem/Query of the job's summary, recent runs and incident record for each event that leaves a finished run, the conditional writes when the incident changes, the outbox entry's claim and sent marks): billed in the function that judges — ingest now, the 5-minute function before, the decision function in the stream design; each ServiceNow request waits %.0f ms (an estimate of a Table API round trip); the stream design adds one decision-function invocation per terminal run (the event filter drops the rest before invoking; Lambda's reads of the stream are free)", msPerServiceNowRequest),
                    String.format("CloudWatch Logs: %.0f bytes per invocation (START/END/REPORT + one summary line)", logBytesPerInvocation),
                    String.format("S3: 2 PUTs per exported day (object + manifest), %.0f days of exports kept; Athena: %.0f queries/month over a month of data (10 MB minimum each), 1 GET per object read", exportRetentionDays, athenaQueriesPerMonth),
                    "DynamoDB storage: a week of runs (7-day TTL) with their index entries (byTime keys, openRuns while open) + one summary per job with its briefs entry, as measured",
                    "member accounts: 3 at 1× (the simulated estate), growing with the jobs");
        }
    }

    /**
     * The DynamoDB write side to price: as counted, or as the item diet would leave it.
     *
     * @param wruPerEvent     write units per ingested event (null: as counted)
     * @param storedBytesFactor stored bytes per run relative to the counted figure (1 = as counted)
     */
    record Writes(Double wruPerEvent, double storedBytesFactor) {
        static Writes counted() {
            return new Writes(null, 1);
        }

        /** The targets for the item diet: ≤ 1.5 WRU per event, stored bytes per run halved. */
        static Writes dietTarget() {
            return new Writes(DIET_WRU_PER_EVENT, 0.5);
        }
    }

    /** One priced line. */
    /** A job's attribute in a rollup day item: "j:" and its id (source:account:region:name), bytes. */
    static final double ROLLUP_BYTES_PER_JOB = 70;
    /** A run's line in a rollup day item: key (9), '/', version (4), state (1), seconds (≤ 4), space. */
    static final double ROLLUP_BYTES_PER_RUN = 19;

    record Line(String service, String item, double quantity, String unit, double dollars) {
    }

    record Bill(int scale, Layout layout, List<Line> lines, double total, double seedDynamo, double jobwatchDynamo) {
        /** The dollars of the lines whose item starts with {@code prefix}. */
        double dollarsOf(String service, String itemPrefix) {
            return lines.stream().filter(l -> l.service().equals(service) && l.item().startsWith(itemPrefix))
                    .mapToDouble(Line::dollars).sum();
        }
    }

    private final Prices p;
    private final Assumptions a;

    CostModel(Prices prices, Assumptions assumptions) {
        this.p = prices;
        this.a = assumptions;
    }

    /** The month at {@code scale}× with the stack's default layout (direct ingest) and the counted writes. */
    Bill month(Results r, int scale) {
        return month(r, scale, Layout.direct(a.reconcileMemoryGb()), Writes.counted());
    }

    /**
     * The month at {@code scale}× the seed's estate, from counts measured at 1× (per-event and per-job figures scale
     * linearly).
     */
    Bill month(Results r, double scale, Layout layout, Writes writes) {
        List<Line> out = new ArrayList<>();
        double events = r.count("eventsPerDay") * scale * DAYS;
        double jobs = r.count("jobs") * scale;
        double teams = a.teamsAt1x() * scale;
        double accounts = 3 * scale;
        double runsPerDay = r.count("export.runsPerDay") * scale;

        // --- Reconcile: calls and reads of a month (ReconcileHandler: hourly all-jobs pass, critical every pass)
        double reconciles = layout.reconcileRunsPerDay() * DAYS;
        double hourlyPasses = 24 * DAYS;
        double hourlyCalls = jobs * a.reconcileCallsPerJob() + accounts;
        double criticalCalls = jobs * a.criticalJobShare() + accounts;
        double apiCalls = hourlyPasses * hourlyCalls + (reconciles - hourlyPasses) * criticalCalls;
        double listedRuns = runsPerDay * 2 * DAYS // hourly passes, 2 h lookback each: every run twice
                + runsPerDay * a.criticalJobShare() * (layout.reconcileRunsPerDay() * 20.0 / (24 * 60)) * DAYS;
        double reconcileRru = listedRuns * a.reconcileReadsPerListedRun();

        // --- DynamoDB
        double wruPerEvent = writes.wruPerEvent() != null ? writes.wruPerEvent() : r.count("ingest.wruPerEvent");
        double ingestWru = events * wruPerEvent;
        double ingestRru = events * r.count("ingest.dynamoRruPerEvent");
        double digestRru = a.digestSendsPerDay() * DAYS * r.count("digest.rru") * scale;
        double slaRru = a.fiveMinuteRunsPerDay() * DAYS * r.count("sla.rru") * scale;
        double outboxRru = a.fiveMinuteRunsPerDay() * DAYS * a.outboxRruPerRun();
        double exportRru = a.exportsPerDay() * DAYS * r.count("export.rruPerDay") * scale;
        double wruPrice = p.get("dynamodb.writeRequestUnitsPerMillion") / 1e6;
        double rruPrice = p.get("dynamodb.readRequestUnitsPerMillion") / 1e6;
        out.add(new Line("DynamoDB", "ingest writes (table + indexes)", ingestWru, "WRU", ingestWru * wruPrice));
        out.add(new Line("DynamoDB", "ingest reads (crawler pairing)", ingestRru, "RRU", ingestRru * rruPrice));
        out.add(new Line("DynamoDB", "digest reads", digestRru, "RRU", digestRru * rruPrice));
        out.add(new Line("DynamoDB", "SLA check reads", slaRru, "RRU", slaRru * rruPrice));
        out.add(new Line("DynamoDB", "outbox reads", outboxRru, "RRU", outboxRru * rruPrice));
        double decisionRru = events * (r.count("decision.rruPerEvent") + r.count("send.rruPerEvent"));
        double decisionWru = events * (r.count("decision.wruPerEvent") + r.count("send.wruPerEvent"));
        out.add(new Line("DynamoDB", "incident decisions + sending reads (per terminal event)", decisionRru, "RRU",
                decisionRru * rruPrice));
        out.add(new Line("DynamoDB", "incident decisions + sending writes (when the incident changes)", decisionWru,
                "WRU", decisionWru * wruPrice));
        out.add(new Line("DynamoDB", "reconcile reads (stored run per listed run)", reconcileRru, "RRU",
                reconcileRru * rruPrice));
        out.add(new Line("DynamoDB", "export reads", exportRru, "RRU", exportRru * rruPrice));
        // Daily rollups (DynamoRollupRecords): the export's daily pass writes two days a day, each as a few PutItems of
        // up to 64 KB (a job's attribute: its id; a run: ~19 characters); late events and resolved incidents add a
        // conditional UpdateItem each for a past day, rare next to the pass and left out here.
        double rollupDayBytes = jobs * ROLLUP_BYTES_PER_JOB + runsPerDay * ROLLUP_BYTES_PER_RUN;
        double rollupWru = a.exportsPerDay() * DAYS * Rollups.PASS_DAYS
                * (Math.ceil(rollupDayBytes / 1024) + Math.ceil(rollupDayBytes / (64 * 1024)));
        out.add(new Line("DynamoDB", "rollup writes (daily pass: " + Rollups.PASS_DAYS + " days a day, ~"
                + Math.round(rollupDayBytes / 1024) + " KB a day)", rollupWru, "WRU", rollupWru * wruPrice));
        double rollupStored = rollupDayBytes * Rollups.DEFAULT_RETENTION.toDays();
        out.add(new Line("DynamoDB", "rollup storage (" + Rollups.DEFAULT_RETENTION.toDays() + " days kept)",
                rollupStored / GB, "GB-month", rollupStored / GB * p.get("dynamodb.storageGbMonth")));
        double storedBytes = runsPerDay * 7 * r.count("storage.bytesPerRun") * writes.storedBytesFactor()
                + r.count("jobs") * scale * r.count("storage.bytesPerSummary");
        out.add(new Line("DynamoDB", "storage", storedBytes / GB, "GB-month", storedBytes / GB * p.get("dynamodb.storageGbMonth")));

        // --- EventBridge, SQS, Scheduler
        out.add(new Line("EventBridge", "cross-account events to the central bus (the seed's estimate leaves them out)",
                events, "events", events * p.get("eventbridge.customOrCrossAccountEventsPerMillion") / 1e6));
        double ingestInvocations;
        double eventsPerInvocation;
        if (layout.ingest() == Ingest.QUEUE) {
            double windows = DAYS * 86_400 / a.sqsWindowSeconds();
            ingestInvocations = Math.max(events / a.sqsBatchSize(), windows * (1 - Math.exp(-events / windows)));
            eventsPerInvocation = events / ingestInvocations;
            double sqsRequests = events + 2 * ingestInvocations + a.sqsIdleReceivesPerMonth();
            out.add(new Line("SQS", "send + receive + delete + idle long polls", sqsRequests, "requests",
                    sqsRequests * p.get("sqs.requestsPerMillion") / 1e6));
        } else {
            ingestInvocations = events;
            eventsPerInvocation = 1;
            out.add(new Line("SQS", "none (EventBridge invokes the function; the DLQ is empty when all is well)", 0,
                    "requests", 0));
        }
        double digests = a.digestInvocationsPerDay() * DAYS;
        double fiveMinute = a.fiveMinuteRunsPerDay() * DAYS * layout.fiveMinuteFunctions();
        double exports = a.exportsPerDay() * DAYS;
        double scheduled = digests + fiveMinute + reconciles + exports;
        out.add(new Line("EventBridge Scheduler", "scheduled invocations", scheduled, "invocations",
                scheduled * p.get("eventbridge.schedulerInvocationsPerMillion") / 1e6));

        // --- Lambda
        // The judging and sending of one event: its DynamoDB requests and its ServiceNow requests' wait.
        double alertMsPerEvent = (r.count("decision.requestsPerEvent") + r.count("send.requestsPerEvent"))
                * a.msPerDynamoRequest() + r.count("decision.actionsPerEvent") * r.count("send.serviceNowCallsPerAction")
                * a.msPerServiceNowRequest();
        double ingestMs = a.invocationBaseMs() + eventsPerInvocation * (r.count("ingest.dynamoRequestsPerEvent")
                * a.msPerDynamoRequest() + (layout.alerts() == Alerts.INLINE ? alertMsPerEvent : 0));
        double ingestGbS = ingestInvocations * ingestMs * 0.5 / 1000;
        double coldGbS = a.coldStartCpuMs() / 1000 * FULL_VCPU_GB * (layout.snapStart() ? a.snapStartColdShare() : 1);
        double sends = a.digestSendsPerDay() * DAYS;
        double digestGbS = (digests * (a.invocationBaseMs() / 1000 * 0.5 + coldGbS)
                + sends * (a.digestRenderMs() * Math.sqrt(scale) + r.count("digest.requests") * scale
                * a.msPerDynamoRequest()) * 0.5 / 1000);
        double slaMs = r.count("sla.requests") * scale * a.msPerDynamoRequest();
        double outboxMs = a.msPerDynamoRequest();
        double fiveMinuteGbS = (fiveMinute * a.invocationBaseMs() + a.fiveMinuteRunsPerDay() * DAYS * (slaMs + outboxMs)
                + (layout.alerts() == Alerts.SCHEDULED ? events * alertMsPerEvent : 0)) * 0.5 / 1000;
        // The stream design: one invocation of the decision function per terminal run (512 MB, warm).
        double decisionInvocations = layout.alerts() == Alerts.STREAM ? events * r.count("decision.judgedPerEvent") : 0;
        double decisionGbS = layout.alerts() == Alerts.STREAM
                ? (decisionInvocations * a.invocationBaseMs() + events * alertMsPerEvent) * 0.5 / 1000 : 0;
        double exportGbS = exports * ((a.invocationBaseMs() + r.count("export.requestsPerDay") * scale
                * a.msPerDynamoRequest() + runsPerDay * a.exportCpuMsPerRun()) * 1.0 / 1000 + coldGbS);
        // Waiting on the APIs and the table overlaps across the scopes asked at once; the CPU does not.
        double reconcileWaitS = (apiCalls * a.msPerApiCall() + listedRuns * a.msPerDynamoRequest()) / 1000
                / layout.reconcileConcurrency() + reconciles * a.invocationBaseMs() / 1000;
        double reconcileCpuS = apiCalls * a.reconcileCpuMsPerCall() / 1000;
        double reconcileGbS = reconciles * coldGbS + reconcileWaitS * layout.reconcileMemoryGb()
                + reconcileCpuS * FULL_VCPU_GB;
        double scheduledGbS = digestGbS + fiveMinuteGbS + exportGbS + reconcileGbS;
        double invocations = ingestInvocations + scheduled + decisionInvocations;
        double gbSecond = p.get("lambda.gbSecondArm64");
        out.add(new Line("Lambda", "requests", invocations, "invocations", invocations * p.get("lambda.requestsPerMillion") / 1e6));
        out.add(new Line("Lambda", String.format("duration: ingest (%,.0f invocations × %.0f ms @ 512 MB)",
                ingestInvocations, ingestMs), ingestGbS, "GB-s", ingestGbS * gbSecond));
        out.add(new Line("Lambda", String.format("duration: reconcile (%,.0f runs, %,.0f API calls, %.0f MB, %d at a time)",
                reconciles, apiCalls, layout.reconcileMemoryGb() * 1024, layout.reconcileConcurrency()), reconcileGbS,
                "GB-s", reconcileGbS * gbSecond));
        out.add(new Line("Lambda", "duration: digest, the 5-minute work, export", digestGbS + fiveMinuteGbS + exportGbS,
                "GB-s", (digestGbS + fiveMinuteGbS + exportGbS) * gbSecond));
        out.add(new Line("Lambda", String.format("duration: decision function (stream design only; %,.0f invocations)",
                decisionInvocations), decisionGbS, "GB-s", decisionGbS * gbSecond));

        // --- Notifications
        double emails = sends * teams * a.emailsPerTeamDigest();
        out.add(new Line("SES", "digest emails", emails, "emails", emails * p.get("ses.emailsPerThousand") / 1e3));

        // --- Export: S3 and Athena
        double puts = exports * 2;
        double exportBytesPerDay = runsPerDay * r.count("export.gzipBytesPerRun");
        double s3Stored = exportBytesPerDay * a.exportRetentionDays();
        double monthBytes = exportBytesPerDay * DAYS;
        double athenaBytes = a.athenaQueriesPerMonth() * Math.max(monthBytes, p.get("athena.minimumMbPerQuery") * 1024 * 1024);
        double gets = a.athenaQueriesPerMonth() * DAYS;
        out.add(new Line("S3", "PUT (export objects + manifests)", puts, "requests", puts * p.get("s3.putPerThousand") / 1e3));
        out.add(new Line("S3", "GET (Athena reads)", gets, "requests", gets * p.get("s3.getPerThousand") / 1e3));
        out.add(new Line("S3", "storage of exports", s3Stored / GB, "GB-month", s3Stored / GB * p.get("s3.storageGbMonth")));
        out.add(new Line("Athena", "bytes scanned", athenaBytes / GB, "GB", athenaBytes / (GB * 1024) * p.get("athena.perTbScanned")));

        // --- Logs
        double logBytes = invocations * a.logBytesPerInvocation();
        out.add(new Line("CloudWatch Logs", "ingested", logBytes / GB, "GB", logBytes / GB * p.get("cloudwatch.logsIngestedPerGb")));

        double total = out.stream().mapToDouble(Line::dollars).sum();
        double jobwatchDynamo = out.stream().filter(l -> l.service().equals("DynamoDB")).mapToDouble(Line::dollars).sum();
        // The seed's DynamoDB design under the same model: GetItem + PutItem per event, a Scan per digest and a Scan
        // per weekly export over the same week of runs.
        double seedWru = events * r.count("seed.ingest.wruPerEvent");
        double seedRru = events * r.count("seed.ingest.rruPerEvent")
                + sends * r.count("seed.digest.rru") * scale
                + (DAYS / 7) * r.count("seed.export.rru") * (7 / r.count("seed.export.days")) * scale;
        double seedStored = runsPerDay * 7 * r.count("seed.storage.bytesPerRun");
        double seedDynamo = seedWru * wruPrice + seedRru * rruPrice + seedStored / GB * p.get("dynamodb.storageGbMonth");
        return new Bill((int) Math.round(scale), layout, out, total, seedDynamo, jobwatchDynamo);
    }

    /**
     * The estate size (× the seed's) at which both ingest modes cost the same, everything else equal; NaN when one
     * mode is cheaper everywhere between 1× and 1,000×.
     */
    double breakEvenScale(Results r) {
        double lo = 0.01;
        double hi = 1000;
        if (Math.signum(modeDifference(r, lo)) == Math.signum(modeDifference(r, hi))) {
            return Double.NaN;
        }
        for (int i = 0; i < 80; i++) {
            double mid = Math.sqrt(lo * hi);
            if (Math.signum(modeDifference(r, mid)) == Math.signum(modeDifference(r, lo))) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.sqrt(lo * hi);
    }

    /** Direct minus queue, in dollars, at {@code scale}. */
    private double modeDifference(Results r, double scale) {
        return month(r, scale, Layout.direct(a.reconcileMemoryGb()), Writes.counted()).total()
                - month(r, scale, Layout.queue(a.reconcileMemoryGb()), Writes.counted()).total();
    }

    /** The cheaper of the two current layouts at {@code scale}. */
    Bill cheapest(Results r, double scale, Writes writes) {
        Bill d = month(r, scale, Layout.direct(a.reconcileMemoryGb()), writes);
        Bill q = month(r, scale, Layout.queue(a.reconcileMemoryGb()), writes);
        return d.total() <= q.total() ? d : q;
    }

    /**
     * The write units per ingested event at which the cheaper layout's bill meets {@code goal} at {@code scale}, all
     * else as counted; negative when the other lines alone cost more than the goal.
     */
    double wruPerEventFor(Results r, double scale, double goal) {
        Bill zero = cheapest(r, scale, new Writes(0.0, 1));
        double events = r.count("eventsPerDay") * scale * DAYS;
        return (goal - zero.total()) / (events * p.get("dynamodb.writeRequestUnitsPerMillion") / 1e6);
    }

    String render(Results r, List<Integer> scales) {
        StringBuilder sb = new StringBuilder();
        Layout direct = Layout.direct(a.reconcileMemoryGb());
        Layout queue = Layout.queue(a.reconcileMemoryGb());
        sb.append(String.format("Prices: %s, %s (%s)%n%n", p.date(), p.region(), p.source()));
        sb.append("The stack's default layout (`ingestMode=direct`), the DynamoDB writes as counted:\n\n");
        table(sb, scales.stream().map(s -> month(r, s, direct, Writes.counted())).toList());

        sb.append("\nTotals by layout ($/month; \"before\" is the previous stack priced by this same model):\n\n");
        sb.append("| layout | writes |");
        scales.forEach(s -> sb.append(' ').append(s).append("× |"));
        sb.append("\n|---|---|");
        scales.forEach(s -> sb.append("---:|"));
        sb.append('\n');
        for (Layout l : List.of(Layout.before(), direct, queue)) {
            for (Writes w : List.of(Writes.counted(), Writes.dietTarget())) {
                sb.append("| ").append(l.name()).append(" | ").append(w.wruPerEvent() == null
                        ? String.format("as counted (%.2f WRU/event)", r.count("ingest.wruPerEvent"))
                        : String.format("item diet target (%.1f WRU/event, half the bytes per run)", w.wruPerEvent()))
                        .append(" |");
                for (int s : scales) {
                    sb.append(' ').append(dollars(month(r, s, l, w).total())).append(" |");
                }
                sb.append('\n');
            }
        }
        sb.append("| seed's stated total (no cross-account events, no reconcile, no export) | |");
        scales.forEach(s -> sb.append(s == 1 ? String.format(" $%.2f–%.2f |", SEED_LOW, SEED_HIGH)
                : String.format(" (%d× = $%.2f–%.2f) |", s, SEED_LOW * s, SEED_HIGH * s)));
        sb.append('\n');
        sb.append("| DynamoDB only: Jobwatch (counted) vs the seed's design, same model | |");
        scales.forEach(s -> {
            Bill b = month(r, s, direct, Writes.counted());
            sb.append(' ').append(dollars(b.jobwatchDynamo())).append(" vs ").append(dollars(b.seedDynamo())).append(" |");
        });
        sb.append("\n\n");

        double breakEven = breakEvenScale(r);
        double eventsPerDay = r.count("eventsPerDay");
        if (Double.isNaN(breakEven)) {
            sb.append("Break-even of the ingest modes: none between 0.01× and 1,000× (").append(
                    modeDifference(r, 1) < 0 ? "direct" : "queue").append(" is cheaper throughout).\n");
        } else {
            sb.append(String.format("Break-even of the ingest modes: **%,.0f events/month** (%,.0f a day, %.1f× the seed's"
                            + " estate): below it `ingestMode=direct` is cheaper (no pollers: SQS's fixed ~$%.2f/month of"
                            + " empty receives), above it `ingestMode=queue` (batches of up to 10 events per invocation)."
                            + " Events that arrive in bursts batch better than this even spread, which moves the"
                            + " break-even lower.%n", breakEven * eventsPerDay * DAYS, breakEven * eventsPerDay,
                    breakEven, a.sqsIdleReceivesPerMonth() * p.get("sqs.requestsPerMillion") / 1e6));
        }
        sb.append('\n');
        sb.append(alertPaths(r, scales));
        sb.append('\n');
        sb.append("Goals (issue 21: ≤ $0.30/month at 1×, ≤ $25 at 100×, all in, every feature kept), the cheaper layout"
                + " at each scale:\n\n");
        sb.append("| goal | as counted | with the item diet's target | write units per event the goal allows |\n");
        sb.append("|---|---:|---:|---:|\n");
        for (double[] g : new double[][] {{1, GOAL_1X}, {100, GOAL_100X}}) {
            Bill counted = cheapest(r, g[0], Writes.counted());
            Bill diet = cheapest(r, g[0], Writes.dietTarget());
            double allowed = wruPerEventFor(r, g[0], g[1]);
            double others = cheapest(r, g[0], new Writes(0.0, 1)).total();
            sb.append(String.format("| %s at %.0f× | %s (%s) %s | %s %s | %s |%n", dollars(g[1]), g[0],
                    dollars(counted.total()), counted.layout().ingest().name().toLowerCase(),
                    counted.total() <= g[1] ? "met" : "**not met**", dollars(diet.total()),
                    diet.total() <= g[1] ? "met" : "**not met**",
                    allowed < 0 ? String.format("none: everything but the ingest writes costs %s", dollars(others))
                            : String.format("≤ %.2f WRU/event (counted: %.2f; everything else: %s)", allowed,
                            r.count("ingest.wruPerEvent"), dollars(others))));
        }
        sb.append("\nAssumptions (not counted):\n");
        a.describe().forEach(s -> sb.append("- ").append(s).append('\n'));
        sb.append("- not in the model: Secrets Manager (ServiceNow secret, $0.40/secret-month + $0.05/10k calls),"
                + " CloudWatch alarms ($0.10/alarm-month), KMS, data transfer, free tiers\n");
        return sb.toString();
    }

    /**
     * Issue 25's comparison: the same stack with finished runs judged by the 5-minute function (before), inline in
     * the ingest function (now) and by a decision function on a DynamoDB Stream — the month and what it adds.
     */
    String alertPaths(Results r, List<Integer> scales) {
        Layout now = Layout.direct(a.reconcileMemoryGb());
        List<Layout> paths = List.of(
                now.alerts(Alerts.SCHEDULED, "decided by the 5-minute function (before)"),
                now.alerts(Alerts.INLINE, "inline in the ingest function (the stack now)"),
                now.alerts(Alerts.STREAM, "DynamoDB Stream (terminal-run filter) → decision function"));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("Where a finished run is judged (issue 25), `ingestMode=direct`, $/month: %.3f terminal"
                + " events judged per ingested event, %.2f DynamoDB requests (%.3f RRU, %.3f WRU) per ingested event to"
                + " judge and %.2f to send, %.2f ServiceNow requests per action:%n%n", r.count("decision.judgedPerEvent"),
                r.count("decision.requestsPerEvent"), r.count("decision.rruPerEvent") + r.count("send.rruPerEvent"),
                r.count("decision.wruPerEvent") + r.count("send.wruPerEvent"), r.count("send.requestsPerEvent"),
                r.count("send.serviceNowCallsPerAction")));
        sb.append("| where | Lambda invocations added (1×) |");
        scales.forEach(s -> sb.append(' ').append(s).append("× |"));
        sb.append("\n|---|---:|");
        scales.forEach(s -> sb.append("---:|"));
        sb.append('\n');
        for (Layout l : paths) {
            double added = l.alerts() == Alerts.STREAM
                    ? r.count("eventsPerDay") * DAYS * r.count("decision.judgedPerEvent") : 0;
            sb.append("| ").append(l.name()).append(" | ").append(String.format("%,.0f", added)).append(" |");
            for (int s : scales) {
                sb.append(' ').append(dollars(month(r, s, l, Writes.counted()).total())).append(" |");
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static void table(StringBuilder sb, List<Bill> bills) {
        sb.append("| service | item |");
        bills.forEach(b -> sb.append(" ").append(b.scale()).append("× quantity | ").append(b.scale()).append("× $/month |"));
        sb.append("\n|---|---|");
        bills.forEach(b -> sb.append("---:|---:|"));
        sb.append('\n');
        for (int i = 0; i < bills.get(0).lines().size(); i++) {
            Line first = bills.get(0).lines().get(i);
            sb.append("| ").append(first.service()).append(" | ").append(itemName(first)).append(" |");
            for (Bill b : bills) {
                Line l = b.lines().get(i);
                sb.append(String.format(" %s %s | %s |", Results.fmt(l.quantity()), l.unit(), dollars(l.dollars())));
            }
            sb.append('\n');
        }
        sb.append("| **total** | |");
        bills.forEach(b -> sb.append(" | **").append(dollars(b.total())).append("** |"));
        sb.append('\n');
    }

    private static String itemName(Line l) {
        int paren = l.item().indexOf(" (");
        return l.item().startsWith("duration: ") && paren > 0 ? l.item().substring(0, paren) : l.item();
    }

    static String dollars(double d) {
        return d >= 1 ? String.format("$%,.2f", d) : d >= 0.001 ? String.format("$%.3f", d) : String.format("$%.5f", d);
    }
}
