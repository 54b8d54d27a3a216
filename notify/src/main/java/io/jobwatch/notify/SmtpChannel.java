package io.jobwatch.notify;

import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.channel.Channel;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelFactory;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.channel.Notice;
import io.jobwatch.core.digest.Message;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code smtp} channel: a digest as an e-mail to the team's recipients over SMTP (Angus Mail), multipart/alternative
 * with the plain-text part first and the HTML part last (mail clients show the last part they can render).
 *
 * <p>Catalog: {@code {type: smtp, host: mail.example.com, port: "587", startTls: "true", user: jobwatch,
 * passwordEnv: JOBWATCH_SMTP_PASSWORD, from: jobwatch@example.com}} (only {@code host} required; the password only
 * from the named environment variable). Environment, for teams without channels: {@code JOBWATCH_SMTP_HOST} and the
 * rest of {@link SmtpSettings#fromEnv}.
 */
public final class SmtpChannel implements Channel {
    /** The {@code smtp} type. */
    public static final ChannelFactory FACTORY = new ChannelFactory() {
        @Override
        public String type() {
            return "smtp";
        }

        @Override
        public Set<String> requiredSettings() {
            return Set.of("host");
        }

        @Override
        public Set<String> optionalSettings() {
            return Set.of("port", "startTls", "user", "passwordEnv", "from");
        }

        @Override
        public boolean needsRecipients() {
            return true;
        }

        @Override
        public Optional<ChannelSpec> fromEnvironment(Map<String, String> env) {
            return SmtpSettings.fromEnv(env).map(s -> {
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("host", s.host());
                settings.put("port", Integer.toString(s.port()));
                settings.put("startTls", Boolean.toString(s.startTls() == SmtpSettings.StartTls.REQUIRED));
                if (s.username() != null) {
                    settings.put("user", s.username());
                    settings.put("passwordEnv", s.passwordEnv());
                }
                return ChannelSpec.fromEnvironment("smtp", settings);
            });
        }

        @Override
        public Channel open(ChannelSpec spec, ChannelContext context) {
            int port;
            try {
                port = Integer.parseInt(spec.settings().getOrDefault("port", "25").trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(spec.where() + ": smtp port must be a number, was '"
                        + spec.setting("port") + "'");
            }
            String user = spec.setting("user");
            SmtpSettings settings = new SmtpSettings(spec.setting("host"), port,
                    "true".equalsIgnoreCase(spec.settings().getOrDefault("startTls", "false"))
                            ? SmtpSettings.StartTls.REQUIRED : SmtpSettings.StartTls.NONE,
                    user, user == null ? null : spec.settings().getOrDefault("passwordEnv", SmtpSettings.ENV_PASSWORD),
                    Duration.ofSeconds(10));
            try {
                return new SmtpChannel(settings, context.env()::get, spec.setting("from"));
            } catch (NoClassDefFoundError e) {
                // The Lambda jars carry no mail library: SMTP is for the CLI and the local server.
                throw new IllegalArgumentException(spec.where() + ": smtp is not available in this deployment (no mail"
                        + " library); use ses or sns");
            }
        }
    };
    private final SmtpSettings settings;
    private final SmtpMail mail;
    private final String from;

    /** Without authentication (no password to read): a local relay or a test server. */
    public SmtpChannel(SmtpSettings settings) {
        this(settings, name -> null, null);
    }

    /**
     * @param env  looks up environment variables (the password, by {@link SmtpSettings#passwordEnv()})
     * @param from the sender when the catalog's digest section names none, or null ({@value DigestNotice#DEFAULT_FROM})
     * @throws IllegalArgumentException when a user is configured and the password variable is unset or empty
     */
    public SmtpChannel(SmtpSettings settings, Function<String, String> env, String from) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.from = from;
        String password = null;
        if (settings.username() != null) {
            String p = env.apply(settings.passwordEnv());
            if (p == null || p.isEmpty()) {
                throw new IllegalArgumentException("SMTP user '" + settings.username() + "' is configured but environment variable "
                        + settings.passwordEnv() + " is not set; export it with the SMTP password");
            }
            password = p;
        }
        this.mail = new SmtpMail(settings, password);
    }

    @Override
    public String type() {
        return "smtp";
    }

    @Override
    public String target() {
        return settings.toString();
    }

    @Override
    public void send(Notice notice) throws DeliveryException {
        if (notice instanceof DigestNotice digest) {
            deliver(digest.message(from));
        }
    }

    /** Sends one e-mail once. */
    public void deliver(Message message) throws DeliveryException {
        mail.deliver(message);
    }
}
