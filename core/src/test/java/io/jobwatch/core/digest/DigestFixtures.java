package io.jobwatch.core.digest;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.sla.BreachKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A FinData digest for Tue 25 Nov 2026, window 06:00–11:00 Europe/Berlin, shaped like the example:
 * "Jobwatch — FinData: 2 failing, 1 late, 41 ok (11:00)". Shared with adapter tests through the test-jar.
 */
public final class DigestFixtures {
    public static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    public static final String FIN_ACCOUNT = "234567890123";
    public static final String REGION = "eu-west-1";
    public static final DigestTeam TEAM = new DigestTeam("Finance data", BERLIN);
    public static final DigestWindow WINDOW = new DigestWindow(local(6, 0), local(11, 0));
    public static final DigestWindow PREVIOUS = new DigestWindow(local(-5, 0), local(6, 0)); // 19:00 the day before
    public static final Clock CLOCK = Clock.fixed(local(11, 0).plusSeconds(4), ZoneOffset.UTC);

    private DigestFixtures() {
    }

    /** 25 Nov 2026 at hour:minute in Berlin; negative hours reach into the day before. */
    public static Instant local(int hour, int minute) {
        return LocalDateTime.of(2026, 11, 25, 0, 0).plusHours(hour).plusMinutes(minute).atZone(BERLIN).toInstant();
    }

    public static JobKey job(JobSource source, String name) {
        return new JobKey(FIN_ACCOUNT, REGION, source, name);
    }

    public static RunView run(String id, RunState state, Instant start, Instant end, String error) {
        return new RunView(id, state, start, end, error);
    }

    public static final JobKey LEDGER = job(JobSource.GLUE_JOB, "fin-ledger-load");
    public static final JobKey FX = job(JobSource.STEP_FUNCTIONS, "fin-fx-rates");
    public static final JobKey GL_EXPORT = job(JobSource.BATCH, "fin-gl-export");
    public static final JobKey LAKE_SYNC = job(JobSource.DATASYNC, "task-0a1b2c3d4e5f60718");
    public static final JobKey CLOSE = job(JobSource.GLUE_JOB, "fin-close-reconciliation");

    /** Still failing (3 in a row, incident open), new failure, recovered, running long, and 39 healthy jobs. */
    public static List<JobView> views() {
        List<JobView> v = new ArrayList<>();
        RunView ledgerFail = run("jr_" + "a".repeat(64), RunState.FAILED, local(9, 30), local(9, 41),
                "AnalysisException: Table or view not found: fin_raw.ledger_lines; line 1 pos 14");
        v.add(new JobView(LEDGER, "FinData", "high", ledgerFail, ledgerFail, RunState.FAILED, 3, "INC0012345",
                Duration.ofMinutes(12), List.of(
                run("jr_" + "b".repeat(64), RunState.FAILED, local(3, 30), local(3, 40), "boom"),
                ledgerFail)));

        String fxArn = "arn:aws:states:eu-west-1:" + FIN_ACCOUNT + ":execution:fin-fx-rates:run-1042";
        RunView fxFail = run(fxArn, RunState.TIMED_OUT, local(10, 0), local(10, 42), "States.Timeout");
        v.add(new JobView(FX, "FinData", "critical", fxFail, fxFail, RunState.SUCCEEDED, 1, null,
                Duration.ofMinutes(20), List.of(
                run(fxArn.replace("1042", "1041"), RunState.SUCCEEDED, local(7, 0), local(7, 18), null),
                fxFail)));

        RunView glOk = run("8f1c2d3e-0000-4000-8000-000000000001", RunState.SUCCEEDED, local(8, 0), local(8, 15), null);
        v.add(new JobView(GL_EXPORT, "FinData", "medium", glOk, glOk, RunState.FAILED, 0, null,
                Duration.ofMinutes(14), List.of(glOk)));

        String execArn = "arn:aws:datasync:eu-west-1:" + FIN_ACCOUNT + ":task/task-0a1b2c3d4e5f60718/execution/exec-0a1b2c3d4e5f60719";
        RunView syncRunning = run(execArn, RunState.RUNNING, local(9, 10), null, null);
        RunView syncPrev = run(execArn.replace("60719", "60700"), RunState.SUCCEEDED, local(3, 10), local(3, 31), null);
        v.add(new JobView(LAKE_SYNC, "FinData", "low", syncRunning, syncPrev, RunState.SUCCEEDED, 0, null,
                Duration.ofMinutes(20), List.of(syncPrev)));

        for (int i = 1; i <= 39; i++) {
            JobKey k = job(JobSource.GLUE_JOB, String.format("fin-job-%02d", i));
            RunView before = run("jr_p" + i, RunState.SUCCEEDED, local(2, i), local(2, i + 5), null);
            RunView now = run("jr_n" + i, RunState.SUCCEEDED, local(8, i), local(8, i + 5), null);
            v.add(new JobView(k, "FinData", "medium", now, now, RunState.SUCCEEDED, 0, null,
                    Duration.ofMinutes(5), List.of(before, now)));
        }
        return v;
    }

    public static List<SlaBreach> breaches() {
        return List.of(new SlaBreach(CLOSE, "FinData", BreachKind.MISSING, local(7, 30),
                "no run started"));
    }

    public static Digest digest() {
        return new DigestBuilder(CLOCK).build(TEAM, WINDOW, PREVIOUS, views(), Optional.of(breaches()), false);
    }

    /** All jobs fine: the short "all N jobs healthy" digest. */
    public static Digest allGreen() {
        List<JobView> healthy = views().stream().filter(j -> j.job().jobName().startsWith("fin-job-")).toList();
        return new DigestBuilder(CLOCK).build(TEAM, WINDOW, PREVIOUS, healthy, Optional.of(List.of()), false);
    }
}
