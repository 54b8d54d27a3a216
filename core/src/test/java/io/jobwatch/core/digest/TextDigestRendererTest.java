package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.jobwatch.core.digest.DigestFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

class TextDigestRendererTest {
    private final TextDigestRenderer renderer = new TextDigestRenderer();

    @Test
    void render_startsWithSubjectAndWindow_thenSectionsInOrder() {
        String text = renderer.render(DigestFixtures.digest());
        assertThat(text).startsWith("Jobwatch \u2014 FinData: 2 failing, 1 late, 41 ok (11:00)\n"
                + "Wed 25 Nov 2026, 06:00\u201311:00 Europe/Berlin\n");
        assertThat(text).containsSubsequence("STILL FAILING (1)", "* fin-ledger-load",
                "  FinData \u00b7 Glue job \u00b7 234567890123 eu-west-1 \u00b7 high",
                "  FAILED 09:41 \u00b7 3 failures in a row \u00b7 incident INC0012345",
                "  Error: AnalysisException", "  https://eu-west-1.console.aws.amazon.com/gluestudio/",
                "NEW FAILURES (1)", "LATE / MISSING / TOO LONG (1)", "RECOVERED (1)", "RUNNING NOW (1)",
                "SUMMARY", "39 other jobs with nothing to report.", "Generated 11:00 by Jobwatch for team Finance data.");
    }

    @Test
    void render_namesBothEnds_whenTheWindowSpansDays() {
        Digest d = DigestFixtures.digest();
        // A Monday digest of a weekdays-only schedule: Friday 06:00 to Monday 06:00.
        Digest weekend = new Digest(d.team(), new DigestWindow(local(6, 0).minus(java.time.Duration.ofDays(5)),
                local(6, 0).minus(java.time.Duration.ofDays(2))), d.previousWindow(), d.generatedAt(), d.stillFailing(),
                d.newFailures(), d.sla(), d.recovered(), d.runningNow(), d.systems(), d.jobCount(), d.healthyCount(),
                d.previousDeliveryFailed());
        assertThat(renderer.render(weekend).lines().skip(1).findFirst().orElseThrow())
                .isEqualTo("Fri 20 Nov 06:00 \u2013 Mon 23 Nov 2026 06:00 Europe/Berlin");
    }

    @Test
    void render_alignsTheSummaryTable() {
        String text = renderer.render(DigestFixtures.digest());
        assertThat(text).contains("  System    Runs     OK Failed  Success\n"
                + "  FinData     43     41      2    95.3%  \u25BC 2.2 pt (prev 97.6%)\n");
    }

    @Test
    void render_replacesControlCharacters_soValuesCannotDriveTheTerminal() {
        JobKey k = new JobKey(FIN_ACCOUNT, REGION, JobSource.BATCH, "job\u001b[31mred");
        RunView f = run("r1", RunState.FAILED, local(9, 0), local(9, 5), "line1\nline2\u0007\u009b");
        JobView v = new JobView(k, "ERP", null, f, f, RunState.FAILED, 1, null, null, List.of(f));
        String text = renderer.render(new DigestBuilder(CLOCK).build(TEAM, WINDOW, PREVIOUS, List.of(v), Optional.empty(), false));
        assertThat(text).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u009b")
                .contains("* job [31mred").contains("Error: line1 line2");
    }

    @Test
    void render_allGreen_isShort() {
        String text = renderer.render(DigestFixtures.allGreen());
        assertThat(text).contains("All 39 jobs healthy.").doesNotContain("STILL FAILING").doesNotContain("RUNNING NOW");
        assertThat(text.lines().count()).isLessThan(12);
    }

    @Test
    void message_ofDigest_carriesSubjectAndBothBodies() {
        Message m = Message.ofDigest(DigestFixtures.digest(), List.of("fin@example.com"), "jobwatch@example.com");
        assertThat(m.subject()).isEqualTo("Jobwatch \u2014 FinData: 2 failing, 1 late, 41 ok (11:00)");
        assertThat(m.html()).startsWith("<!DOCTYPE html>");
        assertThat(m.text()).startsWith("Jobwatch \u2014 FinData");
    }
}
