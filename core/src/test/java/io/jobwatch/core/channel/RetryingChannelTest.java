package io.jobwatch.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jobwatch.core.digest.DigestFixtures;
import io.jobwatch.core.time.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryingChannelTest {
    private final Notice notice = new DigestNotice(DigestFixtures.digest(), List.of("a@example.com"), Optional.empty());
    private final List<Duration> waits = new ArrayList<>();
    private final Sleeper sleeper = waits::add;

    /** Fails the first {@code failures} sends, then works. */
    static final class Flaky implements Channel {
        private final int failures;
        private final boolean retryable;
        int calls;

        Flaky(int failures, boolean retryable) {
            this.failures = failures;
            this.retryable = retryable;
        }

        @Override
        public String type() {
            return "smtp";
        }

        @Override
        public String target() {
            return "smtp://mail:25";
        }

        @Override
        public void send(Notice n) throws DeliveryException {
            if (++calls <= failures) {
                throw new DeliveryException("smtp", retryable, "connection refused (call " + calls + ")", null);
            }
        }
    }

    @Test
    void send_retriesWithDoublingBackoff_untilItWorks() throws Exception {
        Flaky flaky = new Flaky(2, true);
        new RetryingChannel(flaky, 3, Duration.ofSeconds(2), sleeper).send(notice);
        assertThat(flaky.calls).isEqualTo(3);
        assertThat(waits).containsExactly(Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void send_reportsTheLastFailure_afterMaxAttempts_stillRetryableLater() {
        Flaky flaky = new Flaky(5, true);
        assertThatThrownBy(() -> new RetryingChannel(flaky, 3, Duration.ofSeconds(1), sleeper).send(notice))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.channel()).isEqualTo("smtp");
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("smtp: gave up after 3 attempts: connection refused (call 3)");
                });
        assertThat(flaky.calls).isEqualTo(3);
        assertThat(waits).hasSize(2);
    }

    @Test
    void send_doesNotRetry_aPermanentFailure() {
        Flaky flaky = new Flaky(1, false);
        assertThatThrownBy(() -> new RetryingChannel(flaky, 3, Duration.ofSeconds(1), sleeper).send(notice))
                .isInstanceOf(DeliveryException.class);
        assertThat(flaky.calls).isEqualTo(1);
        assertThat(waits).isEmpty();
    }

    /** Answers 429 with Retry-After {@code after} the first time, then works. */
    static final class Throttled implements Channel {
        private final Duration after;
        int calls;

        Throttled(Duration after) {
            this.after = after;
        }

        @Override
        public String type() {
            return "slack";
        }

        @Override
        public String target() {
            return "hooks.slack.com";
        }

        @Override
        public void send(Notice n) throws DeliveryException {
            if (++calls == 1) {
                throw new DeliveryException("slack", true, "HTTP 429", 429, after, "rate_limited", null);
            }
        }
    }

    @Test
    void a429_waitsAtLeastItsRetryAfter() throws Exception {
        Throttled t = new Throttled(Duration.ofSeconds(7));
        new RetryingChannel(t, 3, Duration.ofSeconds(2), sleeper).send(notice);
        assertThat(t.calls).isEqualTo(2);
        assertThat(waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void a429_askingForMoreThanAMinute_isReportedAtOnceForALaterTry() {
        Throttled t = new Throttled(Duration.ofMinutes(10));
        assertThatThrownBy(() -> new RetryingChannel(t, 3, Duration.ofSeconds(2), sleeper).send(notice))
                .isInstanceOfSatisfying(DeliveryException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofMinutes(10));
                    assertThat(e.status()).isEqualTo(429);
                    assertThat(e.getMessage()).isEqualTo("slack: gave up after 1 attempt: HTTP 429");
                });
        assertThat(waits).isEmpty();
    }
}
