package io.jobwatch.core.export;

import static io.jobwatch.core.export.Rows.gunzip;
import static io.jobwatch.core.export.Rows.row;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CsvRunWriterTest {

    private static String field(String v) {
        StringBuilder sb = new StringBuilder();
        CsvRunWriter.appendField(sb, v);
        return sb.toString();
    }

    @Test
    void header_isTheDocumentedColumnOrder() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new CsvRunWriter(out).finish();
        assertThat(gunzip(out.toByteArray())).isEqualTo("run_id,source,account,system,region,job_name,team,"
                + "criticality,state,source_state,started_at,ended_at,duration_s,error,incident_number,event_count,"
                + "first_seen,last_updated,attempt,warning,raw_job_name\r\n");
    }

    @Test
    void field_quotesCommasAndDoublesQuotes() {
        assertThat(field("plain text")).isEqualTo("plain text");
        assertThat(field("a,b")).isEqualTo("\"a,b\"");
        assertThat(field("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(field("{\"cause\":\"x \\\"y\\\"\"}")).isEqualTo("\"{\"\"cause\"\":\"\"x \\\"\"y\\\"\"\"\"}\"");
        assertThat(field("C:\\temp\\new")).isEqualTo("C:\\temp\\new");
    }

    @Test
    void field_writesNullEmptyAndEmptyStringQuoted() {
        assertThat(field(null)).isEmpty();
        assertThat(field("")).isEqualTo("\"\"");
    }

    @Test
    void field_writesEveryLineBreakAsBackslashN_soAthenaKeepsOneRowPerLine() {
        assertThat(field("line1\r\nline2\nline3\rline4")).isEqualTo("line1\\nline2\\nline3\\nline4");
        assertThat(field("a,b\nc")).isEqualTo("\"a,b\\nc\"");
    }

    @Test
    void field_replacesTheSerdeEscapeCharacter_andKeepsUnicode() {
        assertThat(field("x\u0001y")).isEqualTo("x\uFFFDy");
        assertThat(field("Fehler: Überlauf 🚨 – 失败")).isEqualTo("Fehler: Überlauf 🚨 – 失败");
    }

    @Test
    void write_rendersARowInColumnOrderWithIsoUtcTimes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvRunWriter w = new CsvRunWriter(out);
        w.write(row("jr_1", RunState.FAILED, "boom, \"quoted\""));
        w.write(new ExportRow("run-2", JobSource.BATCH, "234567890123", null, "us-east-1", "risk", null, null,
                RunState.RUNNING, "RUNNING", null, null, null, null, null, 1, Instant.parse("2026-11-16T00:00:00Z"),
                null));
        w.write(new ExportRow("4c1e", JobSource.BATCH, "234567890123", null, "us-east-1", "cpu-stress-test", null,
                null, RunState.SUCCEEDED, "SUCCEEDED", null, null, null, null, null, 3,
                Instant.parse("2026-11-16T00:00:00Z"), null, 2, "12 of 63000 records failed",
                "cpu-stress-test-1760707292"));
        CsvRunWriter.Result r = w.finish();
        String[] lines = gunzip(out.toByteArray()).split("\r\n", -1);
        assertThat(lines).hasSize(5);
        assertThat(lines[1]).isEqualTo("jr_1,glue-job,123456789012,ERP,eu-west-1,erp-orders-load,data-platform,high,"
                + "FAILED,FAILED,2026-11-16T03:00:00Z,2026-11-16T03:02:05Z,125,\"boom, \"\"quoted\"\"\",,2,"
                + "2026-11-16T02:59:59Z,2026-11-16T03:02:05Z,1,,erp-orders-load");
        assertThat(lines[2]).isEqualTo("run-2,batch,234567890123,,us-east-1,risk,,,RUNNING,RUNNING,,,,,,1,"
                + "2026-11-16T00:00:00Z,,1,,risk");
        assertThat(lines[3]).isEqualTo("4c1e,batch,234567890123,,us-east-1,cpu-stress-test,,,SUCCEEDED,SUCCEEDED,,,,,"
                + ",3,2026-11-16T00:00:00Z,,2,12 of 63000 records failed,cpu-stress-test-1760707292");
        assertThat(lines[4]).isEmpty();
        assertThat(r.rows()).isEqualTo(3);
    }

    @Test
    void finish_reportsSizeAndSha256OfTheCompressedBytes() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvRunWriter w = new CsvRunWriter(out);
        for (int i = 0; i < 1000; i++) {
            w.write(row("jr_" + i, RunState.SUCCEEDED, null));
        }
        CsvRunWriter.Result r = w.finish();
        byte[] bytes = out.toByteArray();
        assertThat(r.bytes()).isEqualTo(bytes.length);
        assertThat(r.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        assertThat(r.rows()).isEqualTo(1000);
    }

    @Test
    void sameRows_giveTheSameBytes() throws IOException {
        assertThat(write3()).isEqualTo(write3());
    }

    private static byte[] write3() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvRunWriter w = new CsvRunWriter(out);
        for (int i = 0; i < 3; i++) {
            w.write(row("jr_" + i, RunState.SUCCEEDED, null));
        }
        w.finish();
        return out.toByteArray();
    }

    @Property(tries = 2000)
    void appendInstant_writesWhatInstantToStringWrites(
            @ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos, @ForAll @IntRange(min = 0, max = 2) int round) {
        // Round the fraction half the time so the 3- and 6-digit forms come up as often as the 9-digit one.
        int n = round == 0 ? nanos : round == 1 ? nanos / 1_000_000 * 1_000_000 : nanos / 1_000 * 1_000;
        Instant t = Instant.ofEpochSecond(seconds, n);
        StringBuilder sb = new StringBuilder();
        CsvRunWriter.appendInstant(sb, t);
        assertThat(sb.toString()).isEqualTo(t.toString());
    }

    @Test
    void appendInstant_fallsBackToTheJdk_outsideFourDigitYears() {
        for (Instant t : new Instant[] {Instant.parse("+10000-01-01T00:00:00Z"), Instant.parse("-0001-12-31T23:59:59Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.EPOCH, Instant.parse("2026-03-02T00:00:00.100Z")}) {
            StringBuilder sb = new StringBuilder();
            CsvRunWriter.appendInstant(sb, t);
            assertThat(sb.toString()).isEqualTo(t.toString());
        }
    }
}
