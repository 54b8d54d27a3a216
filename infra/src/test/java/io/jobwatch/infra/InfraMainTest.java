package io.jobwatch.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class InfraMainTest {

    @Test
    void synthesize_writesOneValidTemplatePerStack_andNothingElse() throws Exception {
        assertThat(Synthesized.SYNTHESIS.templates()).containsOnlyKeys("JobwatchCentral", "JobwatchMember");
        try (Stream<Path> files = Files.list(Synthesized.OUT)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("JobwatchCentral.template.json", "JobwatchMember.template.json");
        }
        ObjectMapper json = new ObjectMapper();
        for (Path t : Synthesized.SYNTHESIS.templates().values()) {
            JsonNode template = json.readTree(t.toFile());
            assertThat(template.get("Resources").size()).as(t.toString()).isGreaterThan(5);
        }
    }

    @Test
    void synthesize_warnsThatTheLambdaCodeIsAPlaceholder() {
        assertThat(Synthesized.SYNTHESIS.warnings()).anyMatch(w -> w.contains("Lambda code is a placeholder"));
        assertThat(Synthesized.SYNTHESIS.warnings()).noneMatch(w -> w.contains("No catalog packaged"));
        // Everything the test context sets is real, so only the ServiceNow-less keys fall back to examples.
        assertThat(Synthesized.SYNTHESIS.warnings()).noneMatch(w -> w.contains("Example values used"));
    }

    @Test
    void run_rejectsAnUnknownContextKey_withTheKnownKeys() {
        Result r = run("--out", "x", "--context", "orgid=o-a1b2c3d4e5");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("unknown context key 'orgid'").contains("orgId, memberAccounts");
    }

    @Test
    void run_rejectsAnArgumentItDoesNotKnow() {
        Result r = run("--outdir", "x");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("unknown argument '--outdir'").contains("usage: jobwatch-infra");
    }

    @Test
    void optionsParse_readsOutContextAndPlaceholder() {
        InfraMain.Options o = InfraMain.Options.parse("--out", "dir", "-c", "orgId=o-a1b2c3d4e5",
                "--context", "regions=eu-west-1,us-east-1", "--placeholder-code");
        assertThat(o.out()).isEqualTo(Path.of("dir"));
        assertThat(o.context()).containsEntry("orgId", "o-a1b2c3d4e5").containsEntry("regions", "eu-west-1,us-east-1");
        assertThat(o.placeholderCode()).isTrue();
        assertThatThrownBy(() -> InfraMain.Options.parse("--context", "novalue"))
                .hasMessageContaining("--context expects key=value, found 'novalue'");
        assertThatThrownBy(() -> InfraMain.Options.parse("--out"))
                .hasMessageContaining("--out needs a value");
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = InfraMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
