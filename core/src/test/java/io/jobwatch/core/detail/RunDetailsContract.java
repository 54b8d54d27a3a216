package io.jobwatch.core.detail;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunKey;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RunDetails} adapter does (SQLite and DynamoDB run it). */
public abstract class RunDetailsContract {
    protected static final Instant T0 = Instant.parse("2026-03-02T01:00:00Z");
    private static final RunKey RUN = new RunKey(new JobKey("finance", "", JobSource.PING, "nightly-backup"),
            "nightly-backup@2026-03-02T01:00:00Z");
    private static final RunKey OTHER = new RunKey(new JobKey("finance", "", JobSource.PING, "nightly-backup"),
            "nightly-backup@rid-5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278");

    private RunDetails details;

    /** A fresh, empty store of details. */
    protected abstract RunDetails newDetails();

    @BeforeEach
    void open() {
        details = newDetails();
    }

    @AfterEach
    void close() {
        details.close();
    }

    @Test
    void add_thenOf_returnsTheRunsDetailsOldestFirst_andNotOtherRuns() {
        details.add(new RunDetail(RUN, "e2", T0.plusSeconds(60), RunDetail.Kind.LOG, "second"), T0.plusSeconds(86_400));
        details.add(new RunDetail(RUN, "e1", T0, RunDetail.Kind.LOG, "first\nline two"), T0.plusSeconds(86_400));
        details.add(new RunDetail(OTHER, "e3", T0, RunDetail.Kind.PARENT, "{\"job\":\"a/b\"}"), T0.plusSeconds(86_400));

        assertThat(details.of(RUN, T0)).extracting(RunDetail::id, RunDetail::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("e1", "first\nline two"),
                        org.assertj.core.groups.Tuple.tuple("e2", "second"));
        assertThat(details.of(OTHER, T0)).singleElement().satisfies(d -> {
            assertThat(d.kind()).isEqualTo(RunDetail.Kind.PARENT);
            assertThat(d.at()).isEqualTo(T0);
            assertThat(d.run()).isEqualTo(OTHER);
        });
    }

    @Test
    void add_sameIdAgain_changesNothing() {
        details.add(new RunDetail(RUN, "parent", T0, RunDetail.Kind.PARENT, "one"), T0.plusSeconds(86_400));
        details.add(new RunDetail(RUN, "parent", T0.plusSeconds(5), RunDetail.Kind.PARENT, "two"), T0.plusSeconds(86_400));
        assertThat(details.of(RUN, T0)).singleElement().satisfies(d -> assertThat(d.text()).isEqualTo("one"));
    }

    @Test
    void of_leavesOutExpiredDetails_andShowsTheLatestAtMostMaxPerRun() {
        details.add(new RunDetail(RUN, "old", T0, RunDetail.Kind.LOG, "expires"), T0.plusSeconds(10));
        for (int i = 0; i < RunDetails.MAX_PER_RUN + 5; i++) {
            details.add(new RunDetail(RUN, String.format("e%03d", i), T0.plusSeconds(i + 1), RunDetail.Kind.LOG, "log " + i),
                    T0.plusSeconds(86_400));
        }
        List<RunDetail> shown = details.of(RUN, T0.plusSeconds(10));
        assertThat(shown).hasSize(RunDetails.MAX_PER_RUN);
        assertThat(shown).extracting(RunDetail::text).doesNotContain("expires", "log 0", "log 4")
                .startsWith("log 5").endsWith("log " + (RunDetails.MAX_PER_RUN + 4));
    }

    @Test
    void text_keepsUnicode_andIsBoundedTo10000Bytes() {
        String big = "é".repeat(6_000); // 12,000 bytes
        details.add(new RunDetail(RUN, "e1", T0, RunDetail.Kind.LOG, big), T0.plusSeconds(86_400));
        String kept = details.of(RUN, T0).get(0).text();
        assertThat(kept).hasSize(5_000).matches("é+");
    }
}
