package io.jobwatch.core.digest;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryingNotifierTest {
    private final Message message = new Message(List.of("a@example.com"), "jw@example.com", "s", "<p>h</p>", "t");
    private final List<Duration> waits = new ArrayList<>();
    private final RetryingNotifier.Sleeper sleeper = waits::add;

    /** Fails the first {@code failures} sends, then works. */
    private static final class Flaky implements Notifier {
        private final int failures;
        private final boolean retryable;
        int calls;

        Flaky(int failures, boolean retryable) {
            this.failures = failures;
            this.retryable = retryable;
        }

        @Override
        public void send(Message m) throws DeliveryException {
            if (++calls <= failures) {
                throw new DeliveryException("smtp", retryable, "connection refused (call " + calls + ")", null);
            }
        }
    }

    @Test
    void send_retriesWithDoublingBackoff_untilItWorks() throws Exception {
        Flaky flaky = new Flaky(2, true);
        new RetryingNotifier(flaky, 3, Duration.ofSeconds(2), sleeper).send(message);
        assertThat(flaky.calls).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void send_reportsTheLastFailure_afterMaxAttempts() {
        Flaky flaky = new Flaky(5, true);
        assertThatThrownBy(() -> new RetryingNotifier(flaky, 3, Duration.ofSeconds(1), sleeper).send(message))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.channel()).isEqualTo("smtp");
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).isEqualTo("smtp: gave up after 3 attempts: connection refused (call 3)");
                });
        assertThat(flaky.calls).isEqualTo(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void send_doesNotRetry_aPermanentFailure() {
        Flaky flaky = new Flaky(1, false);
        assertThatThrownBy(() -> new RetryingNotifier(flaky, 3, Duration.ofSeconds(1), sleeper).send(message))
                .isInstanceOf(DeliveryException.class);
        assertThat(flaky.calls).isEqualTo(1);
        assertThat(waits).isEmpty();
    }
}
