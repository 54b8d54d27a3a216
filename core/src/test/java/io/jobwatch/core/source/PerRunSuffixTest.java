package io.jobwatch.core.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The per-run suffix rule at its edges: what is stripped and what is a name. */
class PerRunSuffixTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "cpu-stress-test-1760707292, cpu-stress-test, an epoch time",
        "cpu-stress-test-1760707292123, cpu-stress-test, an epoch time",
        "load_1774251943122, load, an epoch time",
        "nightly-ac3e0971-8c7c-444e-bc60-3388bee9afef, nightly, a UUID",
        "nightly-4666200b, nightly, hex digits",
        "sessions-daily-2026-03-12, sessions-daily, a date/time stamp",
        "export.20260322_030716, export, a date/time stamp",
        "export-2026-03-22T03-07-16Z, export, a date/time stamp",
        "etl-20260322-a1b2c3d4, etl, a date/time stamp and hex digits",
        "pre-694a9d57b88940a9e5cd3bee-1766497635776, pre, hex digits and an epoch time"})
    void strips(String name, String stem, String kinds) {
        PerRunSuffix.Split split = PerRunSuffix.split(name).orElseThrow();
        assertThat(split.stem()).isEqualTo(stem);
        assertThat(stem + split.suffix()).isEqualTo(name);
        assertThat(split.describe()).isEqualTo(kinds);
    }

    @ParameterizedTest(name = "{0} stays")
    @CsvSource({"risk-scoring-daily", "backfill-2026-02", "sales-2024", "report-v2", "job-1234567", "x-deadbeef",
        "1760707292", "accounts_to_lake"})
    void keeps(String name) {
        assertThat(PerRunSuffix.split(name)).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void tokens_areWholeTokensOnly() {
        assertThat(List.of("1774251943122", "ac3e0971-8c7c-444e-bc60-3388bee9afef", "20260322"))
                .allMatch(PerRunSuffix::isToken);
        assertThat(PerRunSuffix.isToken("nightly")).isFalse();
    }
}
