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

    public static final String ENV_HOST = "JOBWATCH_SMTP_HOST";
    public static final String ENV_PORT = "JOBWATCH_SMTP_PORT";
    public static final String ENV_USER = "JOBWATCH_SMTP_USER";
    public static final String ENV_PASSWORD = "JOBWATCH_SMTP_PASSWORD";
    public static final String ENV_STARTTLS = "JOBWATCH_SMTP_STARTTLS";

    /**
     * SMTP from the environment: {@code JOBWATCH_SMTP_HOST} (else empty), {@code JOBWATCH_SMTP_PORT} (default 25),
     * {@code JOBWATCH_SMTP_USER} with the password in {@code JOBWATCH_SMTP_PASSWORD}, {@code JOBWATCH_SMTP_STARTTLS=true}.
     *
     * @throws IllegalArgumentException naming the variable to fix (never a secret)
     */
    public static java.util.Optional<SmtpSettings> fromEnv(java.util.Map<String, String> env) {
        String host = env.get(ENV_HOST);
        if (host == null || host.isBlank()) {
            return java.util.Optional.empty();
        }
        int port;
        try {
            port = Integer.parseInt(env.getOrDefault(ENV_PORT, "25").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(ENV_PORT + " must be a port number, was '" + env.get(ENV_PORT) + "'");
        }
        String user = env.get(ENV_USER);
        return java.util.Optional.of(new SmtpSettings(host.trim(), port,
                "true".equalsIgnoreCase(env.getOrDefault(ENV_STARTTLS, "false").trim()) ? StartTls.REQUIRED : StartTls.NONE,
                user == null || user.isBlank() ? null : user.trim(), ENV_PASSWORD, Duration.ofSeconds(10)));
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
