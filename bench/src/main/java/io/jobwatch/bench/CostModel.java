package io.jobwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The monthly AWS bill of the AWS deployment, computed from the requests and units counted by
 * {@link SeedComparison} (per event, per digest, per SLA check, per exported day, bytes per run) and the public
 * on-demand prices in {@code aws-prices.json}. What was not counted is an {@link Assumptions assumption}, printed with
 * the bill. Free tiers are not applied.
 */
final class CostModel {
    static final double SEED_LOW = 0.25;
    static final double SEED_HIGH = 0.39;
    private static final double DAYS = 30;
    private static final double GB = 1024.0 * 1024 * 1024;

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

    /**
     * What the counts do not give, with the infrastructure's defaults (CentralStack / InfraConfig) where they exist.
     * Durations are billed per ms; a DynamoDB round trip in-region is taken as 8 ms.
     */
    record Assumptions(double teamsAt1x, double digestsPerDay, double slaChecksPerDay, double outboxRunsPerDay,
                       double reconcileRunsPerDay, double exportsPerDay, double sqsBatchSize, double sqsWindowSeconds,
                       double sqsIdleReceivesPerMonth, double msPerDynamoRequest, double invocationBaseMs,
                       double digestRenderMs, double coldStartMs, double exportCpuMsPerRun, double reconcileMs,
                       double logBytesPerInvocation, double athenaQueriesPerMonth, double exportRetentionDays,
                       double outboxRruPerRun, double emailsPerTeamDigest) {
        static Assumptions defaults() {
            return new Assumptions(3, 4, 288, 288, 96, 1, 10, 5, 648_000, 8, 10, 300, 1_000, 0.01, 1_500, 700, 30,
                    365, 0.5, 1);
        }

        List<String> describe() {
            return List.of(
                    String.format("teams: %.0f at 1× (one per system), growing with the jobs; one SES email per team per digest (a team list address)", teamsAt1x),
                    String.format("schedules (InfraConfig defaults): digest %.0f/day (one run reads once for all teams), SLA every 5 min, outbox every 5 min, reconcile every 15 min, export daily", digestsPerDay),
                    String.format("ingest: EventBridge → SQS → Lambda, batch ≤ %.0f, window %.0f s; invocations = windows × (1 − e^(−events/window)), at least events/10", sqsBatchSize, sqsWindowSeconds),
                    String.format("SQS: 1 SendMessage per event, 1 ReceiveMessage + 1 DeleteMessageBatch per invocation, plus ~%,.0f empty long-poll receives/month by the Lambda pollers (5 pollers × 3/min; estimate — check NumberOfEmptyReceives)", sqsIdleReceivesPerMonth),
                    String.format("Lambda arm64: duration = %.0f ms + %.0f ms per DynamoDB request (ingest, SLA, outbox: 512 MB); digest + %.0f ms rendering/sending (512 MB); export + %.2f ms CPU per run (1024 MB); reconcile %.0f ms (1024 MB); digest, export and reconcile start cold every time (+%.0f ms init, billed)", invocationBaseMs, msPerDynamoRequest, digestRenderMs, exportCpuMsPerRun, reconcileMs, coldStartMs),
                    String.format("outbox: one Query of the pending-entries index per run (%.1f RRU, nothing pending); reconcile reads no table (lists the services' APIs, applies only missing events)", outboxRruPerRun),
                    String.format("CloudWatch Logs: %.0f bytes per invocation (START/END/REPORT + one summary line)", logBytesPerInvocation),
                    String.format("S3: 2 PUTs per exported day (object + manifest), %.0f days of exports kept; Athena: %.0f queries/month over a month of data (10 MB minimum each), 1 GET per object read", exportRetentionDays, athenaQueriesPerMonth),
                    "DynamoDB storage: a week of runs (7-day TTL) in 3 copies + one summary per job in 2 copies, as measured");
        }
    }

    /** One priced line. */
    record Line(String service, String item, double quantity, String unit, double dollars) {
    }

    record Bill(int scale, List<Line> lines, double total, double seedDynamo, double jobwatchDynamo) {
    }

    private final Prices p;
    private final Assumptions a;

    CostModel(Prices prices, Assumptions assumptions) {
        this.p = prices;
        this.a = assumptions;
    }

    /** The month at {@code scale}× the seed's estate, from counts measured at 1× (per-event and per-job figures scale linearly). */
    Bill month(Results r, int scale) {
        List<Line> out = new ArrayList<>();
        double events = r.count("eventsPerDay") * scale * DAYS;
        double teams = a.teamsAt1x() * scale;

        // DynamoDB
        double ingestWru = events * r.count("ingest.wruPerEvent");
        double ingestRru = events * r.count("ingest.dynamoRruPerEvent");
        double digestRru = a.digestsPerDay() * DAYS * r.count("digest.rru") * scale;
        double slaRru = a.slaChecksPerDay() * DAYS * r.count("sla.rru") * scale;
        double outboxRru = a.outboxRunsPerDay() * DAYS * a.outboxRruPerRun();
        double exportRru = a.exportsPerDay() * DAYS * r.count("export.rruPerDay") * scale;
        double wruPrice = p.get("dynamodb.writeRequestUnitsPerMillion") / 1e6;
        double rruPrice = p.get("dynamodb.readRequestUnitsPerMillion") / 1e6;
        out.add(new Line("DynamoDB", "ingest writes (table + indexes)", ingestWru, "WRU", ingestWru * wruPrice));
        out.add(new Line("DynamoDB", "ingest reads (crawler pairing)", ingestRru, "RRU", ingestRru * rruPrice));
        out.add(new Line("DynamoDB", "digest reads", digestRru, "RRU", digestRru * rruPrice));
        out.add(new Line("DynamoDB", "SLA check reads", slaRru, "RRU", slaRru * rruPrice));
        out.add(new Line("DynamoDB", "outbox reads", outboxRru, "RRU", outboxRru * rruPrice));
        out.add(new Line("DynamoDB", "export reads", exportRru, "RRU", exportRru * rruPrice));
        double runsPerDay = r.count("export.runsPerDay") * scale;
        double storedBytes = runsPerDay * 7 * r.count("storage.bytesPerRun")
                + r.count("jobs") * scale * r.count("storage.bytesPerSummary");
        out.add(new Line("DynamoDB", "storage", storedBytes / GB, "GB-month", storedBytes / GB * p.get("dynamodb.storageGbMonth")));

        // EventBridge, SQS, Scheduler
        out.add(new Line("EventBridge", "cross-account events to the central bus", events, "events",
                events * p.get("eventbridge.customOrCrossAccountEventsPerMillion") / 1e6));
        double windows = DAYS * 86_400 / a.sqsWindowSeconds();
        double ingestInvocations = Math.max(events / a.sqsBatchSize(), windows * (1 - Math.exp(-events / windows)));
        double sqsRequests = events + 2 * ingestInvocations + a.sqsIdleReceivesPerMonth();
        out.add(new Line("SQS", "send + receive + delete + idle long polls", sqsRequests, "requests",
                sqsRequests * p.get("sqs.requestsPerMillion") / 1e6));
        double scheduled = DAYS * (a.digestsPerDay() + a.slaChecksPerDay() + a.outboxRunsPerDay()
                + a.reconcileRunsPerDay() + a.exportsPerDay());
        out.add(new Line("EventBridge Scheduler", "scheduled invocations", scheduled, "invocations",
                scheduled * p.get("eventbridge.schedulerInvocationsPerMillion") / 1e6));

        // Lambda
        double eventsPerInvocation = events / ingestInvocations;
        double ingestMs = a.invocationBaseMs() + eventsPerInvocation * r.count("ingest.dynamoRequestsPerEvent") * a.msPerDynamoRequest();
        double digests = a.digestsPerDay() * DAYS;
        double digestMs = a.invocationBaseMs() + a.coldStartMs() + a.digestRenderMs() * Math.sqrt(scale)
                + r.count("digest.requests") * scale * a.msPerDynamoRequest();
        double slas = a.slaChecksPerDay() * DAYS;
        double slaMs = a.invocationBaseMs() + r.count("sla.requests") * scale * a.msPerDynamoRequest();
        double outboxes = a.outboxRunsPerDay() * DAYS;
        double outboxMs = a.invocationBaseMs() + a.msPerDynamoRequest();
        double exports = a.exportsPerDay() * DAYS;
        double exportMs = a.invocationBaseMs() + a.coldStartMs() + r.count("export.requestsPerDay") * scale
                * a.msPerDynamoRequest() + runsPerDay * a.exportCpuMsPerRun();
        double reconciles = a.reconcileRunsPerDay() * DAYS;
        double reconcileMs = a.reconcileMs() + a.coldStartMs();
        double gbs = (ingestInvocations * ingestMs * 0.5 + digests * digestMs * 0.5 + slas * slaMs * 0.5
                + outboxes * outboxMs * 0.5 + exports * exportMs * 1.0 + reconciles * reconcileMs * 1.0) / 1000;
        double invocations = ingestInvocations + digests + slas + outboxes + exports + reconciles;
        out.add(new Line("Lambda", "requests", invocations, "invocations", invocations * p.get("lambda.requestsPerMillion") / 1e6));
        out.add(new Line("Lambda", String.format("duration (ingest %.0f ms × %,.0f, SLA %.0f ms, digest %.0f ms, export %.0f ms)",
                ingestMs, ingestInvocations, slaMs, digestMs, exportMs), gbs, "GB-s", gbs * p.get("lambda.gbSecondArm64")));

        // Notifications
        double emails = digests * teams * a.emailsPerTeamDigest();
        out.add(new Line("SES", "digest emails", emails, "emails", emails * p.get("ses.emailsPerThousand") / 1e3));

        // Export: S3 and Athena
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

        // Logs
        double logBytes = invocations * a.logBytesPerInvocation();
        out.add(new Line("CloudWatch Logs", "ingested", logBytes / GB, "GB", logBytes / GB * p.get("cloudwatch.logsIngestedPerGb")));

        double total = out.stream().mapToDouble(Line::dollars).sum();
        double jobwatchDynamo = out.stream().filter(l -> l.service().equals("DynamoDB")).mapToDouble(Line::dollars).sum();
        // The seed's DynamoDB design under the same model: GetItem + PutItem per event, a Scan per digest and a Scan
        // per weekly export over the same week of runs.
        double seedWru = events * r.count("seed.ingest.wruPerEvent");
        double seedRru = events * r.count("seed.ingest.rruPerEvent")
                + digests * r.count("seed.digest.rru") * scale
                + (DAYS / 7) * r.count("seed.export.rru") * (7 / r.count("seed.export.days")) * scale;
        double seedStored = runsPerDay * 7 * r.count("seed.storage.bytesPerRun");
        double seedDynamo = seedWru * wruPrice + seedRru * rruPrice + seedStored / GB * p.get("dynamodb.storageGbMonth");
        return new Bill(scale, out, total, seedDynamo, jobwatchDynamo);
    }

    String render(Results r, List<Integer> scales) {
        StringBuilder sb = new StringBuilder();
        List<Bill> bills = scales.stream().map(s -> month(r, s)).toList();
        sb.append(String.format("Prices: %s, %s (%s)%n%n", p.date(), p.region(), p.source()));
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
        sb.append("| seed's stated total | |");
        bills.forEach(b -> sb.append(" | ").append(b.scale() == 1 ? String.format("$%.2f–%.2f", SEED_LOW, SEED_HIGH)
                : String.format("(%d× = $%.2f–%.2f)", b.scale(), SEED_LOW * b.scale(), SEED_HIGH * b.scale())).append(" |"));
        sb.append('\n');
        sb.append("| DynamoDB only: Jobwatch vs the seed's design (counted, same model) | |");
        bills.forEach(b -> sb.append(" | ").append(dollars(b.jobwatchDynamo())).append(" vs ").append(dollars(b.seedDynamo())).append(" |"));
        sb.append("\n\nAssumptions (not counted):\n");
        a.describe().forEach(s -> sb.append("- ").append(s).append('\n'));
        sb.append("- not in the model: Secrets Manager (ServiceNow secret, $0.40/secret-month + $0.05/10k calls),"
                + " CloudWatch alarms ($0.10/alarm-month), KMS, data transfer, free tiers\n");
        return sb.toString();
    }

    private static String itemName(Line l) {
        return l.item().startsWith("duration (") ? "duration" : l.item();
    }

    static String dollars(double d) {
        return d >= 1 ? String.format("$%,.2f", d) : d >= 0.001 ? String.format("$%.3f", d) : String.format("$%.5f", d);
    }
}
