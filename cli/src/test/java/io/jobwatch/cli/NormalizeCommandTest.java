package io.jobwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NormalizeCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    record Result(int code, String out, String err) {
        List<JsonNode> json() throws Exception {
            List<JsonNode> nodes = new ArrayList<>();
            for (String line : out.lines().toList()) {
                nodes.add(MAPPER.readTree(line));
            }
            return nodes;
        }
    }

    static Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Jobwatch.execute(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void everyFixture_printsOneObjectWithExactlyTheContractFields_inOrder() throws Exception {
        List<String> files = Fixtures.eventFiles().stream().map(Path::toString).toList();
        List<String> args = new ArrayList<>(List.of("normalize"));
        args.addAll(files);
        Result r = run("", args.toArray(String[]::new));
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        List<JsonNode> lines = r.json();
        assertThat(lines).hasSize(files.size());
        for (JsonNode n : lines) {
            List<String> names = new ArrayList<>();
            Iterator<String> it = n.fieldNames();
            it.forEachRemaining(names::add);
            assertThat(names).containsExactly("source", "account", "region", "jobName", "runId", "state",
                    "sourceState", "terminal", "failed", "eventId", "eventTime", "startedAt", "endedAt", "error",
                    "attempt", "warning");
            assertThat(n.get("attempt").isInt()).isTrue();
            assertThat(n.get("attempt").asInt()).isPositive();
        }
    }

    @Test
    void stdinArrayAndJsonLines_areReadInInputOrder() throws Exception {
        String a = Files.readString(Fixtures.eventsDir().resolve("glue-job/succeeded.json"));
        String b = Files.readString(Fixtures.eventsDir().resolve("batch/running.json"));
        Result arr = run("[" + a + "," + b + "]", "normalize", "-");
        assertThat(arr.json()).extracting(n -> n.get("source").asText()).containsExactly("glue-job", "batch");
        String lines = MAPPER.readTree(b).toString() + "\n" + MAPPER.readTree(a).toString() + "\n";
        Result jl = run(lines, "normalize", "-");
        assertThat(jl.json()).extracting(n -> n.get("source").asText()).containsExactly("batch", "glue-job");
    }

    @Test
    void malformedEvent_isReportedWithFileIndexLineAndField_othersStillPrinted_exit2(@TempDir Path dir) throws Exception {
        String good = MAPPER.readTree(Fixtures.eventsDir().resolve("appflow/success.json").toFile()).toString();
        String bad = good.replace("\"execution-id\"", "\"execution_id\"");
        Path f = dir.resolve("events.jsonl");
        Files.writeString(f, good + "\n" + bad + "\n" + good + "\n");
        Result r = run("", "normalize", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.json()).hasSize(2);
        assertThat(r.err()).isEqualTo(f + ":1: line 2: detail.execution-id: expected a non-empty string, found nothing (field missing)\n");
    }

    @Test
    void timeInYear9999_andAnEventOver256KB_areRejectedInTheContractForm_othersStillPrinted_exit2(@TempDir Path dir) throws Exception {
        String good = MAPPER.readTree(Fixtures.eventsDir().resolve("appflow/success.json").toFile()).toString();
        com.fasterxml.jackson.databind.node.ObjectNode future = (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(good);
        future.put("time", "9999-12-31T23:59:59Z");
        com.fasterxml.jackson.databind.node.ObjectNode big = (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(good);
        big.put("padding", "x".repeat(300 * 1024));
        Path f = dir.resolve("events.jsonl");
        Files.writeString(f, good + "\n" + future + "\n" + big + "\n" + good + "\n");
        Result r = run("", "normalize", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.json()).hasSize(2);
        List<String> errors = r.err().lines().toList();
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).matches(java.util.regex.Pattern.quote(f + ":1: line 2: time: expected a time between ")
                + "\\S+ and \\S+" + java.util.regex.Pattern.quote(" (at most 3650 days before and 1 day after now), "
                + "found \"9999-12-31T23:59:59Z\""));
        assertThat(errors.get(1)).isEqualTo(f + ":2: line 3: (event): expected at most 262144 bytes (256 KB, "
                + "EventBridge's event size limit), found " + big.toString().length() + " bytes");
    }

    @Test
    void unsupportedEvent_isSkippedWithANote_exit0_butAnErrorWithStrict(@TempDir Path dir) throws Exception {
        String e = MAPPER.readTree(Fixtures.eventsDir().resolve("glue-job/succeeded.json").toFile()).toString()
                .replace("Glue Job State Change", "Glue Data Catalog Table State Change");
        Path f = dir.resolve("one.json");
        Files.writeString(f, e);
        Result lenient = run("", "normalize", f.toString());
        assertThat(lenient.code()).isZero();
        assertThat(lenient.out()).isEmpty();
        assertThat(lenient.err()).isEqualTo(f + ":0: unsupported event: source=aws.glue detail-type=Glue Data Catalog Table State Change\n");
        assertThat(run("", "normalize", "--strict", f.toString()).code()).isEqualTo(2);
    }

    @Test
    void missingFile_isReported_exit2() {
        Result r = run("", "normalize", "no/such/file.json");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no/such/file.json: cannot read: no such file");
    }

    @Test
    void unknownOption_isAUsageError_exit2() {
        Result r = run("", "normalize", "--frobnicate", "x.json");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'").contains("Usage: jobwatch normalize");
    }
}
