package io.jobwatch.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummaryState;
import io.jobwatch.core.store.RecentRun;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummaryJsonTest {
    private final SummaryJson json = new SummaryJson(new ObjectMapper());

    @Test
    void fastInstant_readsEveryInstantToStringShape_likeInstantParse() {
        for (String t : new String[] {"2026-03-02T05:30:00Z", "2026-03-02T05:30:00.5Z", "2026-03-02T05:30:00.123Z",
            "2026-03-02T05:30:00.123456Z", "2026-03-02T05:30:00.123456789Z", "1969-12-31T23:59:59Z",
            "2024-02-29T00:00:00Z", "+10000-01-01T00:00:00Z", "2026-03-02T05:30:00+01:00"}) {
            assertThat(SummaryJson.fastInstant(t)).as(t).isEqualTo(Instant.parse(t));
        }
        Instant now = Instant.parse("2026-11-25T12:46:23.603800856Z");
        assertThat(SummaryJson.fastInstant(now.toString())).isEqualTo(now);
    }

    @Test
    void read_returnsWhatWriteWrote_includingNullsAndErrorsWithQuotes() {
        Instant t = Instant.parse("2026-03-02T05:30:00.25Z");
        JobSummaryState s = new JobSummaryState(Map.of(
                3, new RecentRun("jr_1", RunState.FAILED, t, t.plusSeconds(60), "bad \"quote\" and ünïcode"),
                17, new RecentRun("jr_2", RunState.SUCCEEDED, null, t.plusSeconds(99), null)),
                t.plusSeconds(99), t.plusSeconds(60), 0, 2, t.plusSeconds(100));
        assertThat(json.read(json.write(s))).isEqualTo(s);
        JobSummaryState empty = new JobSummaryState(Map.of(), null, null, 0, 0, null);
        assertThat(json.read(json.write(empty))).isEqualTo(empty);
    }
}
