package io.jobwatch.core.digest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DigestSummaryTest {
    @Test
    void theSummary_hasTheSubjectCountsAndTheMostUrgentItemsFirst() {
        Digest d = DigestFixtures.digest();
        DigestSummary s = DigestSummary.of(d, 2);
        assertThat(s.title()).isEqualTo(d.subject());
        assertThat(s.counts()).startsWith(d.jobCount() + " jobs · " + d.okCount() + " ok · " + d.failingCount()
                + " failing");
        assertThat(s.runs()).startsWith("Runs: ");
        int items = d.newFailures().size() + d.stillFailing().size() + d.sla().map(java.util.List::size).orElse(0)
                + d.recovered().size();
        assertThat(s.top()).hasSize(Math.min(2, items));
        assertThat(s.more()).isEqualTo(items - s.top().size());
        assertThat(s.top().get(0)).startsWith(d.newFailures().isEmpty() ? "STILL FAILING" : "NEW FAILURE");
        assertThat(s.lines()).contains(s.title(), s.counts()).anyMatch(l -> l.startsWith("… and "));
    }

    @Test
    void anAllGreenDigest_hasNoItems() {
        DigestSummary s = DigestSummary.of(DigestFixtures.allGreen());
        assertThat(s.top()).isEmpty();
        assertThat(s.more()).isZero();
        assertThat(s.title()).contains("healthy");
    }
}
