package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.export.s3.S3rver;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

class ExportCommandTest {
    @org.junit.jupiter.api.io.TempDir
    static Path storeDir;
    private static String db;

    @org.junit.jupiter.api.BeforeAll
    static void simulatedWeekInTheStore() {
        db = SimulatedStore.create(storeDir.resolve("jobwatch.db"), java.time.LocalDate.of(2026, 3, 2), 7).toString();
    }

    /** The export arguments plus the test store (kept long enough that 2026's weeks are still there). */
    static String[] withStore(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--db", db, "--retention", "36500d"));
        return all.toArray(String[]::new);
    }

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                args);
        return new Result(code, out.toString(), err.toString());
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void exportWeek_toADirectory_writesSevenDayObjectsAndAManifest(@TempDir Path dir) throws Exception {
        Result r = run(withStore("export", "--week", "2026-W10", "--out", dir.toString()));
        assertThat(r.err()).isEmpty();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("exported 2026-W10 (2026-03-02 .. 2026-03-08): ")
                .contains("in 7 objects", "manifest: " + dir.resolve("manifests/2026-W10.json"));
        // Rollups: the week's days, and any older day changed since it was exported (the store is shared, so which).
        assertThat(files(dir)).filteredOn(f -> f.startsWith("rollups/")).contains("rollups/dt=2026-03-02/rollups.csv.gz",
                "rollups/dt=2026-03-08/rollups.csv.gz");
        assertThat(r.out()).contains("rollups: ", "job-days in ");
        assertThat(files(dir)).filteredOn(f -> !f.startsWith("rollups/")).containsExactly("manifests/2026-W10.json",
                "runs/dt=2026-03-02/runs.csv.gz", "runs/dt=2026-03-03/runs.csv.gz", "runs/dt=2026-03-04/runs.csv.gz",
                "runs/dt=2026-03-05/runs.csv.gz", "runs/dt=2026-03-06/runs.csv.gz", "runs/dt=2026-03-07/runs.csv.gz",
                "runs/dt=2026-03-08/runs.csv.gz");
    }

    @Test
    void reExport_overwritesTheSameFilesWithTheSameBytes(@TempDir Path dir) throws Exception {
        run(withStore("export", "--from", "2026-03-02", "--to", "2026-03-03", "--out", dir.toString()));
        byte[] first = Files.readAllBytes(dir.resolve("runs/dt=2026-03-03/runs.csv.gz"));
        Result again = run(withStore("export", "--from", "2026-03-02", "--to", "2026-03-03", "--out", dir.toString()));
        assertThat(again.code()).isZero();
        assertThat(files(dir)).filteredOn(f -> !f.startsWith("rollups/")).containsExactly(
                "manifests/2026-03-02_2026-03-03.json", "runs/dt=2026-03-02/runs.csv.gz", "runs/dt=2026-03-03/runs.csv.gz");
        assertThat(files(dir)).contains("rollups/dt=2026-03-02/rollups.csv.gz", "rollups/dt=2026-03-03/rollups.csv.gz");
        assertThat(Files.readAllBytes(dir.resolve("runs/dt=2026-03-03/runs.csv.gz"))).isEqualTo(first);
    }

    @Test
    void ddl_printsTheTableAndTheTypedViewForTheS3Location() {
        Result r = run("export", "--ddl", "--s3", "s3://acme-bi/jobwatch", "--athena-database", "bi");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS `bi`.`runs` (")
                .contains("LOCATION 's3://acme-bi/jobwatch/runs/'",
                        "'storage.location.template' = 's3://acme-bi/jobwatch/runs/dt=${dt}/'",
                        "CREATE OR REPLACE VIEW \"bi\".\"runs_typed\" AS",
                        "CREATE EXTERNAL TABLE IF NOT EXISTS `bi`.`runs_rollups` (",
                        "LOCATION 's3://acme-bi/jobwatch/rollups/'",
                        "CREATE OR REPLACE VIEW \"bi\".\"runs_rollups_p95_by_job_week\" AS");
    }

    @Test
    void badInput_isRefusedWithASpecificMessage(@TempDir Path dir) {
        Result week = run("export", "--week", "2026-47", "--out", dir.toString());
        assertThat(week.code()).isEqualTo(1);
        assertThat(week.err()).contains("not an ISO week: '2026-47' (expected YYYY-Www, e.g. 2026-W47)");

        Result both = run("export", "--week", "2026-W10", "--from", "2026-03-02", "--to", "2026-03-03", "--out", "x");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("mutually exclusive");

        Result noTarget = run("export", "--week", "2026-W10");
        assertThat(noTarget.code()).isEqualTo(2);
        assertThat(noTarget.err()).contains("say where to export: --out DIR or --s3 s3://bucket/prefix");

        Result ddl = run("export", "--ddl", "--out", dir.toString());
        assertThat(ddl.code()).isEqualTo(2);
        assertThat(ddl.err()).contains("--ddl needs --s3 s3://bucket/prefix");

        Result tooOld = run("export", "--week", "2026-W10", "--out", dir.toString(), "--db", db);
        assertThat(tooOld.code()).isEqualTo(2);
        assertThat(tooOld.err()).contains("cannot export 2026-03-02: runs are kept 7d (--retention)");

        Result parquet = run("export", "--format", "parquet", "--out", dir.toString());
        assertThat(parquet.code()).isEqualTo(2);
        assertThat(parquet.err()).contains("expected one of [csv]");
    }

    @Test
    void exportToS3_writesTheObjectsUnderThePrefix() throws Exception {
        String keyProp = System.getProperty("aws.accessKeyId");
        try (S3rver server = S3rver.start("cli-bucket"); S3Client s3 = server.client()) {
            System.setProperty("aws.accessKeyId", "S3RVER");
            System.setProperty("aws.secretAccessKey", "S3RVER");
            Result r = run(withStore("export", "--from", "2026-03-02", "--to", "2026-03-03", "--s3", "s3://cli-bucket/bi",
                    "--s3-endpoint", server.endpoint().toString(), "--sse", "AES256"));
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("manifest: s3://cli-bucket/bi/manifests/2026-03-02_2026-03-03.json");
            List<String> keys = s3.listObjectsV2(b -> b.bucket("cli-bucket")).contents().stream().map(S3Object::key).toList();
            assertThat(keys).filteredOn(k -> !k.startsWith("bi/rollups/"))
                    .containsExactlyInAnyOrder("bi/manifests/2026-03-02_2026-03-03.json",
                            "bi/runs/dt=2026-03-02/runs.csv.gz", "bi/runs/dt=2026-03-03/runs.csv.gz");
            assertThat(keys).contains("bi/rollups/dt=2026-03-02/rollups.csv.gz", "bi/rollups/dt=2026-03-03/rollups.csv.gz");
        } finally {
            if (keyProp == null) {
                System.clearProperty("aws.accessKeyId");
                System.clearProperty("aws.secretAccessKey");
            }
        }
    }
}
