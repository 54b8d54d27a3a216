package io.jobwatch.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunStateTest {

    @ParameterizedTest
    @CsvSource({
        "SUCCEEDED,SUCCEEDED", "SUCCESS,SUCCEEDED", "Succeeded,SUCCEEDED", "Execution Successful,SUCCEEDED",
        "FAILED,FAILED", "ERROR,FAILED", "Failed,FAILED", "Execution Failed,FAILED",
        "TIMEOUT,TIMED_OUT", "TIMED_OUT,TIMED_OUT",
        "STOPPED,STOPPED", "ABORTED,STOPPED", "CANCELLED,STOPPED",
        "SUBMITTED,PENDING", "PENDING,PENDING", "RUNNABLE,PENDING", "QUEUED,PENDING", "SCHEDULED,PENDING",
        "STARTING,RUNNING", "RUNNING,RUNNING", "LAUNCHING,RUNNING", "PREPARING,RUNNING", "TRANSFERRING,RUNNING",
        "VERIFYING,RUNNING", "Started,RUNNING", "STOPPING,RUNNING", "CANCELLING,RUNNING", "SOMETHING_NEW,RUNNING",
        // the services' API status names the reconciler reads
        "Successful,SUCCEEDED", "InProgress,RUNNING", "CancelStarted,RUNNING", "Canceled,STOPPED", "Error,FAILED",
        "EXPIRED,TIMED_OUT", "WAITING,PENDING", "PENDING_REDRIVE,RUNNING", "COMPLETED,SUCCEEDED"})
    void sourceStates_mapOntoTheRunModel(String sourceState, RunState expected) {
        assertThat(RunState.fromSourceState(sourceState)).isEqualTo(expected);
    }

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
