package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlaCommandTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void demo_catchesTheJobThatNeverRuns_andTheOneThatRunsFarTooLong() {
        Result r = run("demo", "--date", "2026-03-02", "--out", dir.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("SLA check at the end of the day (2026-03-03T00:00:00Z)")
                .containsPattern("MISSING +HIGH +FinData +fin-close-reconciliation +expected at 2026-03-02 05:30"
                        + " Europe/Lisbon \\(cron\\(30 5 \\* \\* \\? \\*\\)\\), not started within 30m; no run seen")
                // Glue said the run passed its NotifyDelayAfter (30m): tighter than the catalog's max 2h.
                .containsPattern("LONG_RUNNING +HIGH +Analytics +analytics-sessions-rebuild +run \\S+ running 2\\dh\\d*m?"
                        + " \\(since 2026-03-02 03:0\\d UTC\\), past the job's own notify delay of 30m");
    }

    @Test
    void check_json_printsOneObjectPerBreach_withTheDocumentedFieldsInOrder() throws Exception {
        assertThat(run("demo", "--date", "2026-03-02", "--out", dir.toString()).code()).isZero();

        Result r = run("sla", "check", "--db", dir.resolve("jobwatch.db").toString(), "--at", "2026-03-02T12:00:00Z",
                "--format", "json");

        assertThat(r.code()).as(r.err()).isZero();
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.out().split("\n")) {
            lines.add(mapper.readTree(line));
        }
        JsonNode missing = lines.stream().filter(n -> n.get("jobName").asText().equals("fin-close-reconciliation"))
                .findFirst().orElseThrow();
        List<String> fields = new ArrayList<>();
        for (Iterator<String> it = missing.fieldNames(); it.hasNext(); ) {
            fields.add(it.next());
        }
        assertThat(fields).containsExactly("jobName", "source", "account", "kind", "expectedAt", "detectedAt", "detail",
                "region", "confidence", "runId");
        assertThat(missing.get("source").asText()).isEqualTo("glue-job");
        assertThat(missing.get("account").asText()).isEqualTo("234567890123");
        assertThat(missing.get("kind").asText()).isEqualTo("MISSING");
        assertThat(missing.get("expectedAt").asText()).isEqualTo("2026-03-02T05:30:00Z");
        assertThat(missing.get("detectedAt").asText()).isEqualTo("2026-03-02T12:00:00Z");
        assertThat(missing.get("confidence").asText()).isEqualTo("HIGH");
        assertThat(missing.get("runId").isNull()).isTrue();
        // At noon the long runner (03:00; Glue's notify delay 30m, tighter than the catalog's max 2h) is too long.
        assertThat(lines).anySatisfy(n -> {
            assertThat(n.get("jobName").asText()).isEqualTo("analytics-sessions-rebuild");
            assertThat(n.get("kind").asText()).isEqualTo("LONG_RUNNING");
            assertThat(n.get("expectedAt").asText()).startsWith("2026-03-02T03:3");
            assertThat(n.get("detail").asText()).contains("past the job's own notify delay of 30m");
        });
    }

    @Test
    void check_table_beforeTheMissedStart_showsTheServicesOwnLateSignal_butNotTheMissedStart() {
        assertThat(run("demo", "--date", "2026-03-02", "--out", dir.toString()).code()).isZero();

        Result r = run("sla", "check", "--db", dir.resolve("jobwatch.db").toString(), "--at", "2026-03-02T04:00:00Z");

        assertThat(r.code()).as(r.err()).isZero();
        // The catalog's max 2h has not passed at 04:00, but Glue said at 03:31 the run is past its notify delay (30m).
        assertThat(r.out()).startsWith("SLA check at 2026-03-02T04:00:00Z: ")
                .containsPattern("LONG_RUNNING +HIGH +2026-03-02T03:3\\d:\\d\\dZ +Analytics +glue-job +analytics-sessions-rebuild"
                        + " +run \\S+ running 5\\dm .*past the job's own notify delay of 30m");
        // fin-close-reconciliation is missing only for the previous day's start (never ran, the store knows nothing).
        assertThat(r.out()).containsPattern("MISSING +HIGH +2026-03-01T05:30:00Z +FinData +glue-job +fin-close-reconciliation");
    }

    @Test
    void check_rejectsABadInstant_withHowToWriteIt() {
        Result r = run("sla", "check", "--db", dir.resolve("x.db").toString(), "--at", "yesterday");

        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("--at yesterday: expected an ISO-8601 instant such as 2026-03-03T08:00:00Z\n");
    }
}
