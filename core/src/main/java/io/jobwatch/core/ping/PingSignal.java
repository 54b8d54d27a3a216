package io.jobwatch.core.ping;

/**
 * What a ping says, from the last segment of its URL: {@code …/<slug>} success, {@code /start}, {@code /fail},
 * {@code /log} (a message, no change of state) or {@code /<exit-status>} (0 success, 1–255 failed).
 */
public sealed interface PingSignal {
    /** The run's state name for this signal ({@code success}, {@code start}, {@code fail}, {@code exit N}); null for log. */
    String sourceState();

    record Success() implements PingSignal {
        @Override
        public String sourceState() {
            return "success";
        }
    }

    record Start() implements PingSignal {
        @Override
        public String sourceState() {
            return "start";
        }
    }

    record Fail() implements PingSignal {
        @Override
        public String sourceState() {
            return "fail";
        }
    }

    /** A message for the job's run (Healthchecks' log event): the run's state stays as it is. */
    record Log() implements PingSignal {
        @Override
        public String sourceState() {
            return null;
        }
    }

    /** @param status 0–255, the script's exit status */
    record ExitStatus(int status) implements PingSignal {
        public ExitStatus {
            if (status < 0 || status > 255) {
                throw new IllegalArgumentException("exit status " + status + " is outside 0–255");
            }
        }

        @Override
        public String sourceState() {
            return "exit " + status;
        }
    }
}
