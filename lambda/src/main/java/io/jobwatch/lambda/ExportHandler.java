package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.Manifest;
import io.jobwatch.core.export.StoreExportSource;
import io.jobwatch.core.export.WeeklyExporter;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.export.s3.Encryption;
import io.jobwatch.export.s3.S3ExportDestination;
import io.jobwatch.export.s3.S3Uri;
import io.jobwatch.store.dynamodb.DynamoIncidents;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The BI export on AWS (EventBridge Scheduler, daily, {@code {"task":"export"}}): the day that ended a day ago
 * ({@link ExportPlan#scheduledDay}) as {@code <prefix>runs/dt=YYYY-MM-DD/runs.csv.gz} plus
 * {@code <prefix>manifests/<name>.json} — the same {@link WeeklyExporter} and layout as {@code jobwatch export --s3}.
 * A week of BI data is seven day partitions; keys depend on the day only, so a re-run (retry, backfill) overwrites.
 *
 * <p>On demand (a re-run after a failure, a backfill while the runs are still kept): {@code {"week":"2026-W47"}} or
 * {@code {"from":"2026-11-16","to":"2026-11-18"}}. Days older than the run retention less
 * {@link ExportPlan#DEFAULT_MARGIN} are refused (their runs may have expired: the file would be short).
 *
 * <p>Reads: one byTime Query per job and UTC day, one GetItem per job with a failed run (its incident number).
 * Writes: one PutObject per day and one for the manifest (multipart above 8 MiB).
 */
public final class ExportHandler implements RequestStreamHandler {
    /** Export bucket (required). */
    public static final String BUCKET = "JOBWATCH_EXPORT_BUCKET";
    /** Key prefix the export layout goes under ({@code ""} or ending in '/'; default {@code ""}). */
    public static final String PREFIX = "JOBWATCH_EXPORT_PREFIX";
    /** Server-side encryption: {@code none} (the bucket default), {@code AES256} or {@code aws:kms}. */
    public static final String SSE = "JOBWATCH_EXPORT_SSE";
    /** KMS key id/ARN/alias with {@code aws:kms}. */
    public static final String KMS_KEY_ID = "JOBWATCH_EXPORT_KMS_KEY_ID";
    /** Days read and written at once for multi-day requests (default 4). */
    public static final String PARALLEL = "JOBWATCH_EXPORT_PARALLEL";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the export goes.
     *
     * @param target      bucket and key prefix
     * @param encryption  SSE of the objects
     * @param parallelism days at once
     */
    public record Settings(S3Uri target, Encryption encryption, int parallelism) {
        /** @throws IllegalArgumentException naming the variable and how to fix it */
        public static Settings from(Map<String, String> env) {
            String bucket = value(env, BUCKET).orElseThrow(() -> new IllegalArgumentException(BUCKET
                    + " is not set: set it to the export bucket's name (the stack sets it to the bucket it creates)"));
            S3Uri target;
            try {
                target = new S3Uri(bucket, value(env, PREFIX).orElse(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(BUCKET + "/" + PREFIX + ": " + e.getMessage(), e);
            }
            Encryption encryption;
            try {
                encryption = Encryption.parse(value(env, SSE).orElse("none"), value(env, KMS_KEY_ID).orElse(null));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(SSE + ": " + e.getMessage(), e);
            }
            int parallelism = 4;
            Optional<String> p = value(env, PARALLEL);
            if (p.isPresent()) {
                try {
                    parallelism = Integer.parseInt(p.get());
                } catch (NumberFormatException e) {
                    parallelism = 0;
                }
                if (parallelism < 1 || parallelism > 16) {
                    throw new IllegalArgumentException(PARALLEL + " must be a whole number from 1 to 16, was '"
                            + p.get() + "'");
                }
            }
            return new Settings(target, encryption, parallelism);
        }
    }

    private final RunStore store;
    private final DynamoIncidents incidents;
    private final Catalog catalog;
    private final S3ExportDestination destination;
    private final Env env;
    private final Settings settings;
    private final Clock clock;
    private final PrintStream log;

    /** Lambda's constructor: environment, catalog and clients once per container. */
    public ExportHandler() {
        this(Init.fromEnvironment());
    }

    private ExportHandler(Init init) {
        this(init.env(), Settings.from(init.variables()), init.catalog(), AwsClients.dynamo(init.env()),
                AwsClients.s3(init.env(), init.variables()), Clock.systemUTC(), System.out);
    }

    public ExportHandler(Env env, Settings settings, Catalog catalog, DynamoDbClient dynamo, S3Client s3, Clock clock,
                         PrintStream log) {
        this.env = Objects.requireNonNull(env, "env");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.catalog = catalog;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.log = Objects.requireNonNull(log, "log");
        this.store = new DynamoRunStore(dynamo, env.table(), clock, env.retention());
        this.incidents = new DynamoIncidents(dynamo, env.table(), clock, env.retention());
        this.destination = new S3ExportDestination(s3, settings.target(), settings.encryption());
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode request = JSON.readTree(input);
        Manifest m = export(plan(request == null ? JSON.createObjectNode() : request));
        long bytes = m.objects().stream().mapToLong(Manifest.ObjectEntry::bytes).sum();
        log.println("export: " + m.name() + " (" + m.from() + " .. " + m.to() + "): " + m.rows() + " runs in "
                + m.objects().size() + " objects, " + bytes + " bytes → " + destination.describe("runs/"));
        try (JsonGenerator g = JSON.getFactory().createGenerator(output)) {
            g.writeStartObject();
            g.writeStringField("export", m.name());
            g.writeStringField("from", m.from().toString());
            g.writeStringField("to", m.to().toString());
            g.writeNumberField("rows", m.rows());
            g.writeArrayFieldStart("objects");
            for (Manifest.ObjectEntry o : m.objects()) {
                g.writeStartObject();
                g.writeStringField("uri", destination.describe(o.key()));
                g.writeNumberField("rows", o.rows());
                g.writeNumberField("bytes", o.bytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("manifest", destination.describe(ExportPlan.days(m.from(), m.to()).manifestKey()));
            g.writeEndObject();
        }
    }

    /** Exports the plan's days (after the retention check). */
    public Manifest export(ExportPlan plan) throws IOException {
        LocalDate oldestSafe = LocalDate.ofInstant(clock.instant().minus(env.retention())
                .plus(ExportPlan.DEFAULT_MARGIN), ZoneOffset.UTC);
        if (plan.from().isBefore(oldestSafe)) {
            throw new IllegalArgumentException("cannot export " + plan.from() + ": runs are kept "
                    + env.retention().toDays() + " days (" + Env.RETENTION_DAYS + "), so days before " + oldestSafe
                    + " may have lost runs already; export days while they are within the retention");
        }
        // A fresh source per export: it caches incident records per job.
        StoreExportSource source = new StoreExportSource(store, catalog, incidents);
        Manifest m = new WeeklyExporter(source, destination, clock, settings.parallelism()).export(plan);
        // The rollups' daily pass runs with the scheduled export; changed past days are written again.
        new io.jobwatch.core.export.RollupExporter(store.rollups(), catalog, destination).export(plan.days());
        return m;
    }

    /** {@code {}} / {@code {"task":"export"}}: the scheduled day; else {@code week}, or {@code from} and {@code to}. */
    ExportPlan plan(JsonNode request) {
        String week = text(request, "week");
        String from = text(request, "from");
        String to = text(request, "to");
        if (week != null) {
            if (from != null || to != null) {
                throw new IllegalArgumentException("export request: give either \"week\" or \"from\"/\"to\", not both");
            }
            return ExportPlan.week(week);
        }
        if (from != null || to != null) {
            if (from == null || to == null) {
                throw new IllegalArgumentException("export request: \"from\" and \"to\" go together (UTC days,"
                        + " YYYY-MM-DD, both inclusive)");
            }
            return ExportPlan.days(day("from", from), day("to", to));
        }
        return ExportPlan.scheduledDay(clock);
    }

    private static LocalDate day(String field, String value) {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("export request: \"" + field + "\" is '" + value
                    + "', expected a UTC day YYYY-MM-DD");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText().trim();
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
