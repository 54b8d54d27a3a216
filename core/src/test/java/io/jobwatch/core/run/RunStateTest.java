package io.jobwatch.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunStateTest {

    @ParameterizedTest
    @CsvSource({"PENDING,false,false", "RUNNING,false,false", "SUCCEEDED,true,false", "FAILED,true,true",
        "TIMED_OUT,true,true", "STOPPED,true,false"})
    void terminalAndFailed(RunState s, boolean terminal, boolean failed) {
        assertThat(s.terminal()).isEqualTo(terminal);
        assertThat(s.failed()).isEqualTo(failed);
    }

    @ParameterizedTest
    @CsvSource({"abc,3", "é,1", "😀😀,4", "a😀,2"})
    void truncateUtf8_neverSplitsACharacter(String s, int maxBytes) {
        String cut = Text.truncateUtf8(s, maxBytes);
        assertThat(cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(maxBytes);
        assertThat(s).startsWith(cut);
        assertThat(cut.isEmpty() || !Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isTrue();
    }
}
