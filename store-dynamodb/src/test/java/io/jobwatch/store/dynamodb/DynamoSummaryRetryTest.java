package io.jobwatch.store.dynamodb;

import static io.jobwatch.core.store.StoreFixtures.GLUE;
import static io.jobwatch.core.store.StoreFixtures.T0;
import static io.jobwatch.core.store.StoreFixtures.finished;
import static io.jobwatch.core.store.StoreFixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobBrief;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.core.store.RunStoreException;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.dynamodb.testing.TcpGate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The store fails between a terminal event's run write and its summary write (DynamoDB unreachable: a TCP gate cut
 * right before the summary's UpdateItem); the platform retries the event, which is then a DUPLICATE — the summary
 * must still get the run, counted once.
 */
class DynamoSummaryRetryTest {

    /** Cuts the gate just before the first UpdateItem on a job summary, once armed. */
    private static final class CutBeforeSummaryWrite implements ExecutionInterceptor {
        final AtomicBoolean armed = new AtomicBoolean();
        TcpGate gate;

        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
            if (context.request() instanceof UpdateItemRequest u && "SUMMARY".equals(u.key().get("sk").s())
                    && armed.compareAndSet(true, false)) {
                try {
                    gate.cut();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    @Test
    void retryOfATerminalEvent_afterAFailedSummaryWrite_putsTheRunInTheSummary_countedOnce() throws IOException {
        CutBeforeSummaryWrite cut = new CutBeforeSummaryWrite();
        try (TcpGate gate = new TcpGate(Dynalite.shared().port());
             DynamoDbClient client = DynamoDbClient.builder().endpointOverride(gate.endpoint())
                     .region(Region.US_EAST_1)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("t", "t")))
                     .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).build())
                     .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).addExecutionInterceptor(cut))
                     .build()) {
            cut.gate = gate;
            String table = "summary-retry-" + System.nanoTime();
            DynamoRunStore.createTable(client, table);
            RunStore store = new DynamoRunStore(client, table, new TestClock(T0.plusSeconds(9000)),
                    RunStore.DEFAULT_RETENTION);
            store.apply(running("e1", GLUE, "jr_1", T0));
            store.apply(finished("e2", GLUE, "jr_1", RunState.FAILED, T0, T0.plusSeconds(60)));
            store.apply(running("e3", GLUE, "jr_2", T0.plusSeconds(7200)));

            cut.armed.set(true);
            var terminal = finished("e4", GLUE, "jr_2", RunState.FAILED, T0.plusSeconds(7200), T0.plusSeconds(7500));
            assertThatThrownBy(() -> store.apply(terminal)).isInstanceOf(RunStoreException.class);
            gate.open();
            assertThat(store.get(terminal.runKey())).as("the run write went through").get()
                    .extracting(r -> r.state()).isEqualTo(RunState.FAILED);
            assertThat(store.summary(GLUE).orElseThrow().latestRun().runId()).as("summary missed it")
                    .isEqualTo("jr_1");

            assertThat(store.apply(terminal).outcome()).isEqualTo(Outcome.DUPLICATE);
            assertThat(store.apply(terminal).outcome()).as("a second retry").isEqualTo(Outcome.DUPLICATE);

            JobSummary s = store.summary(GLUE).orElseThrow();
            assertThat(s.latestRun().runId()).isEqualTo("jr_2");
            assertThat(s.recentRuns()).extracting(RecentRun::runId).containsExactly("jr_2", "jr_1");
            assertThat(s.runCount()).as("finished runs, each counted once").isEqualTo(2);
            assertThat(s.consecutiveFailures()).isEqualTo(2);
            assertThat(s.lastFailureAt()).isEqualTo(T0.plusSeconds(7500));
            JobBrief brief = store.briefPerJob().get(0);
            assertThat(brief.summary().latestRun().runId()).isEqualTo("jr_2");
            assertThat(brief.summary().runCount()).isEqualTo(2);
        }
    }
}
