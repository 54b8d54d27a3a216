package io.jobwatch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"90m,PT1H30M", "2h,PT2H", "1h30m,PT1H30M", "45s,PT45S", "7d,PT168H", "1d12h,PT36H", "PT2H,PT2H",
        "pt90m,PT1H30M", "P7D,PT168H", "0s,PT0S"})
    void parse_acceptsCompactAndIsoForms(String text, String iso) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.parse(iso));
    }

    @Test
    void parse_asksForAUnit_whenOnlyANumberIsGiven() {
        assertThatThrownBy(() -> Durations.parse("90")).hasMessageContaining("no unit").hasMessageContaining("90m");
    }

    @Test
    void parse_rejectsUnitsOutOfOrderAndUnknownUnits() {
        assertThatThrownBy(() -> Durations.parse("30m1h")).hasMessageContaining("largest first");
        assertThatThrownBy(() -> Durations.parse("2w")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> Durations.parse("PTxH")).hasMessageContaining("ISO-8601");
        assertThatThrownBy(() -> Durations.parse("PT-2H")).hasMessageContaining("negative");
    }

    @Test
    void format_writesLargestUnitsFirst() {
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofDays(7))).isEqualTo("7d");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.parse(Durations.format(Duration.ofSeconds(93_784)))).isEqualTo(Duration.ofSeconds(93_784));
    }
}
