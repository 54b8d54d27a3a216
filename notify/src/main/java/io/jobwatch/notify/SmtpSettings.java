package io.jobwatch.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how to hand mail to an SMTP server. The password is never part of the settings: it is read from the
 * environment variable named by {@code passwordEnv} when the notifier is created.
 *
 * @param host        SMTP host
 * @param port        SMTP port (25, 587 with STARTTLS, 1025 for a local test server …)
 * @param startTls    NONE, or REQUIRED (upgrade the connection with STARTTLS or fail)
 * @param username    user for SMTP AUTH, or null to send without authentication
 * @param passwordEnv name of the environment variable holding the password, e.g. JOBWATCH_SMTP_PASSWORD; required
 *                    when {@code username} is set
 * @param timeout     connect, read and write timeout
 */
public record SmtpSettings(String host, int port, StartTls startTls, String username, String passwordEnv, Duration timeout) {
    public enum StartTls { NONE, REQUIRED }

    public SmtpSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startTls, "startTls");
        Objects.requireNonNull(timeout, "timeout");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("SMTP port must be 1-65535, was " + port);
        }
        if (username != null && (passwordEnv == null || passwordEnv.isBlank())) {
            throw new IllegalArgumentException("SMTP user '" + username + "' needs passwordEnv: the name of the environment"
                    + " variable that holds the password (e.g. JOBWATCH_SMTP_PASSWORD)");
        }
    }

    /** Plain SMTP without authentication, 10 s timeouts: a local relay or a test server. */
    public static SmtpSettings plain(String host, int port) {
        return new SmtpSettings(host, port, StartTls.NONE, null, null, Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        // Deliberately short: settings are logged; the password is not here anyway.
        return "smtp://" + (username == null ? "" : username + "@") + host + ":" + port + (startTls == StartTls.REQUIRED ? " (STARTTLS)" : "");
    }
}
