package io.jobwatch.export.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.export.ExportFailedException;
import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.ExportRow;
import io.jobwatch.core.export.ExportSource;
import io.jobwatch.core.export.Manifest;
import io.jobwatch.core.export.WeeklyExporter;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

class S3ExportDestinationTest {
    private static final String BUCKET = "jobwatch-bi";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T01:00:00Z"), ZoneOffset.UTC);
    private static S3rver server;
    private static final List<SdkRequest> requests = new CopyOnWriteArrayList<>();
    private static S3Client s3;

    @BeforeAll
    static void start() throws IOException {
        server = S3rver.start(BUCKET);
        s3 = server.client(new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                requests.add(context.request());
            }
        });
    }

    @AfterAll
    static void stop() {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ExportSource runsPerDay(int perDay, String tag) {
        return (day, sink) -> {
            for (int i = 0; i < perDay; i++) {
                Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(600L * i);
                sink.accept(new ExportRow(tag + "-" + day + "-" + i, JobSource.STEP_FUNCTIONS, "123456789012", "ERP",
                        "eu-west-1", "erp-orders", "data", "high", i % 10 == 0 ? RunState.FAILED : RunState.SUCCEEDED,
                        "SUCCEEDED", start, start.plusSeconds(60), 60L, i % 10 == 0 ? "States.TaskFailed, \"x\"" : null,
                        null, 2, start, start.plusSeconds(60)));
            }
        };
    }

    private static List<String> keys(String prefix) {
        return s3.listObjectsV2Paginator(r -> r.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    private static String text(String key) throws IOException {
        try (InputStream in = new GZIPInputStream(s3.getObject(r -> r.bucket(BUCKET).key(key)))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void export_putsOneObjectPerDayAndTheManifestUnderThePrefix() throws Exception {
        S3ExportDestination dest = new S3ExportDestination(s3, S3Uri.parse("s3://" + BUCKET + "/week/bi"),
                new Encryption.None());
        Manifest m = new WeeklyExporter(runsPerDay(20, "a"), dest, CLOCK, 3).export(ExportPlan.week("2026-W47"));

        assertThat(keys("week/")).containsExactly("week/bi/manifests/2026-W47.json",
                "week/bi/runs/dt=2026-11-16/runs.csv.gz", "week/bi/runs/dt=2026-11-17/runs.csv.gz",
                "week/bi/runs/dt=2026-11-18/runs.csv.gz", "week/bi/runs/dt=2026-11-19/runs.csv.gz",
                "week/bi/runs/dt=2026-11-20/runs.csv.gz", "week/bi/runs/dt=2026-11-21/runs.csv.gz",
                "week/bi/runs/dt=2026-11-22/runs.csv.gz");
        String day = text("week/bi/runs/dt=2026-11-18/runs.csv.gz");
        assertThat(day).startsWith("run_id,source,").contains("a-2026-11-18-19,step-functions,");
        assertThat(day.split("\r\n")).hasSize(21);
        byte[] stored = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("week/bi/runs/dt=2026-11-16/runs.csv.gz"))
                .asByteArray();
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored)))
                .isEqualTo(m.objects().get(0).sha256());
        String manifest = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("week/bi/manifests/2026-W47.json")).asUtf8String();
        assertThat(manifest).contains("\"rows\" : 140");
    }

    @Test
    void reExport_overwritesTheSameKeys_withoutDuplicates() throws Exception {
        S3ExportDestination dest = new S3ExportDestination(s3, S3Uri.parse("s3://" + BUCKET + "/again/"),
                new Encryption.None());
        new WeeklyExporter(runsPerDay(30, "first"), dest, CLOCK, 2).export(ExportPlan.week("2026-W47"));
        List<String> before = keys("again/");
        new WeeklyExporter(runsPerDay(5, "second"), dest, CLOCK, 2).export(ExportPlan.week("2026-W47"));

        assertThat(keys("again/")).isEqualTo(before).hasSize(8);
        String day = text("again/runs/dt=2026-11-20/runs.csv.gz");
        assertThat(day.split("\r\n")).hasSize(6);
        assertThat(day).contains("second-2026-11-20-4").doesNotContain("first-");
    }

    @Test
    void export_of100MegabytesGoesUpAsMultipart_andArrivesIntact() throws Exception {
        requests.clear();
        S3ExportDestination dest = new S3ExportDestination(s3, S3Uri.parse("s3://" + BUCKET + "/big"),
                new Encryption.S3Managed());
        // Random text does not compress: ~34,000 rows of 4 KiB (cut at random from a 1 MiB pool) make > 100 MiB.
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        char[] pool = new char[1 << 20];
        for (int c = 0; c < pool.length; c++) {
            pool[c] = alphabet.charAt(random.nextInt(64));
        }
        ExportSource big = (day, sink) -> {
            for (int i = 0; i < 34_000; i++) {
                String noise = new String(pool, random.nextInt(pool.length - 4096), 4096);
                Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(i);
                sink.accept(new ExportRow("r" + i, JobSource.GLUE_JOB, "123456789012", "ERP", "eu-west-1", "big",
                        null, null, RunState.FAILED, "FAILED", start, start.plusSeconds(3), 3L, noise, null,
                        1, start, start));
            }
        };
        LocalDate day = LocalDate.of(2026, 11, 16);
        Manifest m = new WeeklyExporter(big, dest, CLOCK, 1, Deflater.BEST_SPEED).export(ExportPlan.days(day, day));

        long size = s3.headObject(r -> r.bucket(BUCKET).key("big/runs/dt=2026-11-16/runs.csv.gz")).contentLength();
        assertThat(size).isEqualTo(m.objects().get(0).bytes()).isGreaterThan(100L * 1024 * 1024);
        long parts = requests.stream().filter(r -> r instanceof UploadPartRequest).count();
        assertThat(parts).isEqualTo((size + S3ExportDestination.DEFAULT_PART_SIZE - 1) / S3ExportDestination.DEFAULT_PART_SIZE);
        assertThat(requests).filteredOn(r -> r instanceof CreateMultipartUploadRequest).singleElement()
                .extracting(r -> ((CreateMultipartUploadRequest) r).serverSideEncryption())
                .isEqualTo(ServerSideEncryption.AES256);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long rows = 0;
        try (InputStream in = s3.getObject(r -> r.bucket(BUCKET).key("big/runs/dt=2026-11-16/runs.csv.gz"))) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(m.objects().get(0).sha256());
        assertThat(m.rows()).isEqualTo(34_000);
    }

    @Test
    void failedExport_abortsItsMultipartUpload_andLeavesNoObject() {
        requests.clear();
        S3ExportDestination dest = new S3ExportDestination(s3, S3Uri.parse("s3://" + BUCKET + "/broken"),
                new Encryption.None(), S3ExportDestination.MIN_PART_SIZE);
        ExportSource failing = (day, sink) -> {
            SplittableRandom random = new SplittableRandom(1);
            for (int i = 0; i < 3000; i++) {
                StringBuilder noise = new StringBuilder();
                for (int c = 0; c < 4096; c++) {
                    noise.append((char) ('a' + random.nextInt(26)));
                }
                Instant t = Instant.parse("2026-11-16T00:00:00Z");
                sink.accept(new ExportRow("r" + i, JobSource.BATCH, "123456789012", null, "eu-west-1", "b", null,
                        null, RunState.FAILED, "FAILED", t, t, 0L, noise.toString(), null, 1, t, t));
            }
            throw new IllegalStateException("store read timed out");
        };
        LocalDate day = LocalDate.of(2026, 11, 16);
        assertThatThrownBy(() -> new WeeklyExporter(failing, dest, CLOCK, 1).export(ExportPlan.days(day, day)))
                .isInstanceOf(ExportFailedException.class).hasMessageContaining("store read timed out")
                .hasMessageContaining("s3://" + BUCKET + "/broken/runs/dt=2026-11-16/runs.csv.gz");
        assertThat(requests).filteredOn(r -> r instanceof UploadPartRequest).isNotEmpty();
        assertThat(requests).filteredOn(r -> r instanceof AbortMultipartUploadRequest).hasSize(1);
        assertThat(keys("broken/")).isEmpty();
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket(BUCKET).key("broken/runs/dt=2026-11-16/runs.csv.gz")))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
    }

    @Test
    void kmsEncryption_isRequestedWithTheConfiguredKey() throws Exception {
        requests.clear();
        S3ExportDestination dest = new S3ExportDestination(s3, S3Uri.parse("s3://" + BUCKET + "/kms"),
                Encryption.parse("aws:kms", "alias/jobwatch-export"));
        try (var o = dest.open("manifests/x.json")) {
            o.stream().write("{}".getBytes(StandardCharsets.UTF_8));
            o.commit();
        }
        assertThat(requests).filteredOn(r -> r instanceof PutObjectRequest).singleElement().satisfies(r -> {
            PutObjectRequest put = (PutObjectRequest) r;
            assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
            assertThat(put.ssekmsKeyId()).isEqualTo("alias/jobwatch-export");
            assertThat(put.contentType()).isEqualTo("application/json");
        });
        assertThat(s3.getObjectAsBytes(r -> r.bucket(BUCKET).key("kms/manifests/x.json")).asUtf8String()).isEqualTo("{}");
    }

    @Test
    void uncommittedObject_isNeverVisible() throws Exception {
        S3ExportDestination dest = new S3ExportDestination(s3, S3Uri.parse("s3://" + BUCKET + "/draft"),
                new Encryption.None());
        try (var o = dest.open("runs/dt=2026-11-16/runs.csv.gz")) {
            o.stream().write(new byte[1000]);
        }
        assertThatThrownBy(() -> s3.headObject(r -> r.bucket(BUCKET).key("draft/runs/dt=2026-11-16/runs.csv.gz")))
                .isInstanceOf(software.amazon.awssdk.services.s3.model.S3Exception.class);
    }
}
