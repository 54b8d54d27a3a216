package io.jobwatch.core.ping;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.RunFold;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PingEventsTest {
    static final Instant NOW = Instant.parse("2026-03-02T02:10:07.618Z");
    static final Instant SECOND = Instant.parse("2026-03-02T02:10:07Z");
    static final String RID = "5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278";

    static RunEvent event(String path, String rid, String body) {
        return PingEvents.event("finance", PingRoute.parse(path, rid).ping(), NOW, "e-1", body);
    }

    @Test
    void start_withoutRid_isARunningRunNamedByItsStart_toTheSecond() {
        RunEvent e = event("/ping/k/nightly-backup/start", null, "");
        assertThat(e.job()).isEqualTo(new JobKey("finance", "", JobSource.PING, "nightly-backup"));
        assertThat(e.runId()).isEqualTo("nightly-backup@2026-03-02T02:10:07Z");
        assertThat(e.state()).isEqualTo(RunState.RUNNING);
        assertThat(e.startedAt()).isEqualTo(SECOND);
        assertThat(e.eventTime()).isEqualTo(SECOND);
        RunFold.validate(e);
    }

    @Test
    void success_withoutRid_hasNoRunId_soTheStorePairsIt_andStartsAndEndsAtThePing() {
        RunEvent e = event("/ping/k/nightly-backup", null, "copied 1,204 files");
        assertThat(e.runId()).isNull();
        assertThat(e.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(e.startedAt()).isEqualTo(SECOND);
        assertThat(e.endedAt()).isEqualTo(SECOND);
        assertThat(e.error()).isNull();
        RunFold.validate(e);
        assertThat(RunFold.pairsByStart(JobSource.PING)).isTrue();
    }

    @Test
    void rid_namesTheRun_onStartAndEnd_afterEveryStartNamedId() {
        assertThat(event("/ping/k/nightly-backup/start", RID, "").runId()).isEqualTo("nightly-backup@rid-" + RID);
        assertThat(event("/ping/k/nightly-backup/0", RID, "").runId()).isEqualTo("nightly-backup@rid-" + RID);
        // The store pairs an end without a run id with the greatest id ≤ slug@END~end: a rid run never sorts there.
        assertThat("nightly-backup@rid-" + RID).isGreaterThan("nightly-backup@9999-12-31T23:59:59Z~end");
    }

    @Test
    void exitStatus_zeroSucceeds_otherFails_withExitStatusAndTheBodyAsError() {
        assertThat(event("/ping/k/nightly-backup/0", null, "").state()).isEqualTo(RunState.SUCCEEDED);
        RunEvent e = event("/ping/k/nightly-backup/3", null, "rsync: connection refused (111)");
        assertThat(e.state()).isEqualTo(RunState.FAILED);
        assertThat(e.sourceState()).isEqualTo("exit 3");
        assertThat(e.error()).isEqualTo("exit status 3\nrsync: connection refused (111)");
        assertThat(event("/ping/k/nightly-backup/3", null, "").error()).isEqualTo("exit status 3");
    }

    @Test
    void fail_isFailed_withTheBodyAsError_orSayingItWasSignalled() {
        assertThat(event("/ping/k/nightly-backup/fail", null, "disk full").error()).isEqualTo("disk full");
        assertThat(event("/ping/k/nightly-backup/fail", null, "").error()).isEqualTo("the job reported a failure (/fail ping)");
    }

    @Test
    void log_isNoEvent() {
        assertThat(event("/ping/k/nightly-backup/log", null, "half way")).isNull();
    }

    @Test
    void body_keepsTheFirst10000Bytes_withoutSplittingACharacter_andReplacesWhatIsNotUtf8() {
        byte[] big = ("x".repeat(9_999) + "é" + "y".repeat(50)).getBytes(StandardCharsets.UTF_8);
        String kept = PingEvents.text(big);
        assertThat(kept).isEqualTo("x".repeat(9_999));
        assertThat(PingEvents.text(new byte[] {'o', 'k', (byte) 0xff, 0, 'z'})).isEqualTo("ok\uFFFD\uFFFDz");
        assertThat(PingEvents.text(new byte[0])).isEmpty();
    }
}
