package io.jobwatch.core.digest;

import static io.jobwatch.core.digest.DigestFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.sla.BreachKind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HtmlDigestRendererTest {
    private final HtmlDigestRenderer renderer = new HtmlDigestRenderer();

    @Test
    void render_showsSectionsInOrderOfUrgency() {
        String html = renderer.render(DigestFixtures.digest());
        assertThat(html).containsSubsequence(
                "Still failing (1)", "fin-ledger-load",
                "New failures (1)", "fin-fx-rates",
                "Late / missing / too long (1)", "fin-close-reconciliation",
                "Recovered (1)", "fin-gl-export",
                "Running now (1)", "task-0a1b2c3d4e5f60718",
                "Summary", "FinData",
                "39 other jobs with nothing to report.");
        assertThat(html).doesNotContain("fin-job-01"); // healthy jobs are counted, not listed
    }

    @Test
    void render_isAPhoneSizedPage_withInlineStylesOnly() {
        String html = renderer.render(DigestFixtures.digest());
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
                .contains("max-width:600px")
                .doesNotContain("<style").doesNotContain("<link").doesNotContain("<script");
    }

    @Test
    void render_showsStreakIncidentErrorAndRunLink() {
        String html = renderer.render(DigestFixtures.digest());
        assertThat(html).contains("FAILED 09:41 \u00b7 3 failures in a row \u00b7 incident <b>INC0012345</b>")
                .contains("AnalysisException: Table or view not found: fin_raw.ledger_lines")
                .contains("<a href=\"https://eu-west-1.console.aws.amazon.com/gluestudio/home?region=eu-west-1#/job/fin-ledger-load/run/jr_"
                        + "a".repeat(64) + "\"")
                .contains("TIMED OUT 10:42 \u00b7 first failure")
                .contains("since 09:10 \u00b7 1h 50m (usual 20m) \u00b7 5.5\u00d7 usual")
                .contains("MISSING \u00b7 expected 07:30 \u00b7 no run started")
                .contains("95.3%").contains("\u25BC 2.2 pt (prev 97.6%)");
    }

    @Test
    void render_escapesEveryValue_scriptQuotesAmpersandsAndUnicode() {
        String evilName = "<script>alert('x')</script> \"quoted\" & co \uD83D\uDE80 \u05D3\u05D5\u05D7 \u0644\u064A\u0644\u064A";
        String evilError = "Error: <img src=x onerror=alert(1)> 'single' \"double\" a&b \u00e9\u00e8 \uD83D\uDD25";
        JobKey k = new JobKey(FIN_ACCOUNT, REGION, JobSource.GLUE_JOB, evilName);
        RunView f = run("jr_<b>\"'&", RunState.FAILED, local(9, 0), local(9, 5), evilError);
        JobView v = new JobView(k, "Fin<Data>", "high\"><script>", f, f, RunState.FAILED, 2, "INC<1>&\"", null, List.of(f));
        Digest d = new DigestBuilder(CLOCK).build(new DigestTeam("Team <&>", BERLIN), WINDOW, PREVIOUS, List.of(v),
                Optional.of(List.of(new SlaBreach(k, "Fin<Data>", BreachKind.LATE, null, "<i>late</i>"))), false);

        String html = renderer.render(d);

        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("<i>")
                .doesNotContain("<b>\"").doesNotContain("Fin<Data>").doesNotContain("INC<1>");
        assertThat(html).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;quoted&quot; &amp; co \uD83D\uDE80 \u05D3\u05D5\u05D7 \u0644\u064A\u0644\u064A")
                .contains("Error: &lt;img src=x onerror=alert(1)&gt; &#39;single&#39; &quot;double&quot; a&amp;b \u00e9\u00e8 \uD83D\uDD25")
                .contains("Fin&lt;Data&gt;")
                .contains("high&quot;&gt;&lt;script&gt;")
                .contains("incident <b>INC&lt;1&gt;&amp;&quot;</b>")
                .contains("&lt;i&gt;late&lt;/i&gt;")
                .contains("<title>Jobwatch \u2014 Fin&lt;Data&gt;: 1 failing, 1 late, 0 ok (11:00)</title>")
                .contains("dir=\"auto\"").contains("for team Team &lt;&amp;&gt;.");
        // the run link percent-encodes the name and run id, so the attribute cannot be broken out of
        assertThat(html).contains("#/job/%3Cscript%3Ealert%28%27x%27%29%3C%2Fscript%3E%20%22quoted%22%20%26%20co%20%F0%9F%9A%80");
        assertThat(html).contains("/run/jr_%3Cb%3E%22%27%26\"");
    }

    @Test
    void href_allowsOnlyHttpAndHttps_andEscapesThem() {
        assertThat(Html.href("https://x.example/a?b=1&c=\"2\"")).isEqualTo("https://x.example/a?b=1&amp;c=&quot;2&quot;");
        assertThat(Html.href("HTTP://x.example/")).isEqualTo("HTTP://x.example/");
        assertThat(Html.href("javascript:alert(1)")).isNull();
        assertThat(Html.href(" https://x.example/")).isNull();
        assertThat(Html.href("https://x.example/\nSet-Cookie")).isNull();
        assertThat(Html.href("data:text/html,<script>")).isNull();
        assertThat(Html.href("//x.example/")).isNull();
        assertThat(Html.href(null)).isNull();
    }

    @Test
    void render_allGreen_isTheShortHealthyMessage_withSummary() {
        String html = renderer.render(DigestFixtures.allGreen());
        assertThat(html).contains("All 39 jobs healthy").contains("Summary")
                .doesNotContain("Still failing").doesNotContain("Running now").doesNotContain("other jobs");
    }

    @Test
    void render_notesThatThePreviousDeliveryFailed() {
        Digest d = new DigestBuilder(CLOCK).build(TEAM, WINDOW, PREVIOUS, DigestFixtures.views(), Optional.empty(), true);
        assertThat(renderer.render(d)).contains("The previous digest could not be delivered.");
        assertThat(renderer.render(DigestFixtures.digest())).doesNotContain("could not be delivered");
    }
}
