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
    public static final String ENV_HOST = SmtpSettings.ENV_HOST;

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
        java.util.Optional<SmtpSettings> smtp = SmtpSettings.fromEnv(env);
        if (smtp.isPresent()) {
            return new DigestDelivery(new SmtpNotifier(smtp.get(), env::get), "SMTP " + smtp.get(), "smtp");
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
