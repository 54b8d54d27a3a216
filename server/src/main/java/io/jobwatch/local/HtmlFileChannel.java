package io.jobwatch.local;

import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.channel.Channel;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelFactory;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.channel.Notice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code file} channel of the local server: each digest as an HTML file {@code <UTC time>-<subject>.html} in a
 * folder (default {@code <db dir>/digests/}) a local user opens — the server's fallback when neither the catalog nor
 * the environment gives a team a channel. Catalog: {@code {type: file, dir: /srv/jobwatch/digests}}.
 */
public final class HtmlFileChannel implements Channel {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    /** The {@code file} type. */
    public static final ChannelFactory FACTORY = new ChannelFactory() {
        @Override
        public String type() {
            return "file";
        }

        @Override
        public Set<String> optionalSettings() {
            return Set.of("dir");
        }

        @Override
        public Channel open(ChannelSpec spec, ChannelContext context) {
            String dir = spec.setting("dir");
            if (dir == null && context.dataDir() == null) {
                throw new IllegalArgumentException(spec.where() + ": the file channel needs a dir here");
            }
            return new HtmlFileChannel(dir != null ? Path.of(dir) : context.dataDir().resolve("digests"), context.clock());
        }
    };

    /** The server's fallback: HTML files in {@code <dataDir>/digests}. */
    public static ChannelSpec fallback(Path dataDir) {
        return new ChannelSpec("file", Map.of("dir", dataDir.resolve("digests").toString()),
                "the local server (no channel in the catalog or the environment)");
    }

    private final Path dir;
    private final Clock clock;

    HtmlFileChannel(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    @Override
    public String type() {
        return "file";
    }

    @Override
    public String target() {
        return "HTML files in " + dir;
    }

    @Override
    public void send(Notice notice) throws DeliveryException {
        if (!(notice instanceof DigestNotice digest)) {
            return;
        }
        String subject = digest.digest().subject();
        String slug = subject.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        if (slug.length() > 60) {
            slug = slug.substring(0, 60);
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(STAMP.format(clock.instant()) + "-" + (slug.isEmpty() ? "digest" : slug) + ".html");
            for (int n = 2; Files.exists(file); n++) {
                file = dir.resolve(STAMP.format(clock.instant()) + "-" + slug + "-" + n + ".html");
            }
            Files.writeString(file, digest.message(null).html(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DeliveryException("file", true, "cannot write the digest into " + dir + ": " + e.getMessage(), e);
        }
    }
}
