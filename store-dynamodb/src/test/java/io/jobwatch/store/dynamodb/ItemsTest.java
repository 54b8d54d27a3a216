package io.jobwatch.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ItemsTest {

    @Property(tries = 2000)
    void instant_readsBackWhatInstantToStringWrote(
            @ForAll @LongRange(min = -62_167_219_200L, max = 253_402_300_799L) long seconds,
            @ForAll @IntRange(min = 0, max = 999_999_999) int nanos, @ForAll @IntRange(min = 0, max = 2) int round) {
        int n = round == 0 ? nanos : round == 1 ? nanos / 1_000_000 * 1_000_000 : nanos / 1_000 * 1_000;
        Instant t = Instant.ofEpochSecond(seconds, n);
        assertThat(Items.instant(t.toString())).isEqualTo(t);
    }

    @Test
    void instant_takesTheJdksPath_forOtherFormsAndRejectsMalformedText() {
        assertThat(Items.instant("+10000-01-01T00:00:00Z")).isEqualTo(Instant.parse("+10000-01-01T00:00:00Z"));
        assertThat(Items.instant("2026-03-02T10:00:00.5Z")).isEqualTo(Instant.parse("2026-03-02T10:00:00.500Z"));
        for (String bad : new String[] {"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-03-02T23:60:00Z",
                "2026-03-02T10:00:0xZ", "2026-03-02 10:00:00Z"}) {
            assertThatThrownBy(() -> Items.instant(bad)).as(bad).isInstanceOf(DateTimeParseException.class);
        }
    }
}
