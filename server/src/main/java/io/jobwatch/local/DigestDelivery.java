package io.jobwatch.local;

import io.jobwatch.core.digest.DeliveryException;
import io.jobwatch.core.digest.Message;
import io.jobwatch.core.digest.Notifier;
import io.jobwatch.notify.SmtpNotifier;
import io.jobwatch.notify.SmtpSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;

/**
 * Where the server's digests go: SMTP when {@code JOBWATCH_SMTP_HOST} is set ({@code JOBWATCH_SMTP_PORT}, default
 * 25; {@code JOBWATCH_SMTP_USER} with the password in {@code JOBWATCH_SMTP_PASSWORD}; {@code JOBWATCH_SMTP_STARTTLS=true}),
 * else HTML files in {@code <db dir>/digests/} so a local user can open them.
 */
public final class DigestDelivery {
    public static final String ENV_HOST = "JOBWATCH_SMTP_HOST";
    public static final String ENV_PORT = "JOBWATCH_SMTP_PORT";
    public static final String ENV_USER = "JOBWATCH_SMTP_USER";
    public static final String ENV_PASSWORD = "JOBWATCH_SMTP_PASSWORD";
    public static final String ENV_STARTTLS = "JOBWATCH_SMTP_STARTTLS";

    private final Notifier notifier;
    private final String target;
    private final String via;

    private DigestDelivery(Notifier notifier, String target, String via) {
        this.notifier = notifier;
        this.target = target;
        this.via = via;
    }

    /** @throws IllegalArgumentException naming the variable to fix (never a secret) */
    public static DigestDelivery of(Map<String, String> env, Path dataDir, Clock clock) {
        String host = env.get(ENV_HOST);
        if (host != null && !host.isBlank()) {
            int port;
            try {
                port = Integer.parseInt(env.getOrDefault(ENV_PORT, "25").trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(ENV_PORT + " must be a port number, was '" + env.get(ENV_PORT) + "'");
            }
            String user = env.get(ENV_USER);
            SmtpSettings settings = new SmtpSettings(host.trim(), port,
                    "true".equalsIgnoreCase(env.getOrDefault(ENV_STARTTLS, "false").trim())
                            ? SmtpSettings.StartTls.REQUIRED : SmtpSettings.StartTls.NONE,
                    user == null || user.isBlank() ? null : user.trim(), ENV_PASSWORD, Duration.ofSeconds(10));
            return new DigestDelivery(new SmtpNotifier(settings, env::get), "SMTP " + settings, "smtp");
        }
        Path dir = dataDir.resolve("digests");
        return new DigestDelivery(new HtmlFiles(dir, clock), "HTML files in " + dir + " (no " + ENV_HOST + ")", "file");
    }

    public String target() {
        return target;
    }

    /** "smtp" or "file": the label of the digests-sent metric. */
    public String via() {
        return via;
    }

    public void deliver(Message message) throws DeliveryException {
        notifier.send(message);
    }

    /** Writes each digest as {@code <UTC time>-<subject>.html}. */
    static final class HtmlFiles implements Notifier {
        private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
        private final Path dir;
        private final Clock clock;

        HtmlFiles(Path dir, Clock clock) {
            this.dir = dir;
            this.clock = clock;
        }

        @Override
        public void send(Message message) throws DeliveryException {
            String slug = message.subject().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
            if (slug.length() > 60) {
                slug = slug.substring(0, 60);
            }
            try {
                java.nio.file.Files.createDirectories(dir);
                Path file = dir.resolve(STAMP.format(clock.instant()) + "-" + (slug.isEmpty() ? "digest" : slug) + ".html");
                for (int n = 2; java.nio.file.Files.exists(file); n++) {
                    file = dir.resolve(STAMP.format(clock.instant()) + "-" + slug + "-" + n + ".html");
                }
                java.nio.file.Files.writeString(file, message.html(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new DeliveryException("file", true, "cannot write the digest into " + dir + ": " + e.getMessage(), e);
            }
        }
    }
}
