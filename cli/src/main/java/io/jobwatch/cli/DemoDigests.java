package io.jobwatch.cli;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.TeamDigests;
import io.jobwatch.core.digest.HtmlDigestRenderer;
import io.jobwatch.store.sqlite.SqliteIncidents;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The demo's digests: what each team's next digest holds at the end of the simulated week (everything since its last
 * scheduled digest), as the HTML e-mail it would receive.
 */
final class DemoDigests {
    private DemoDigests() {
    }

    /** Writes DIR/TEAM.html per team and prints the subjects; returns the files written. */
    static List<Path> write(PrintWriter out, Catalog catalog, Path db, Path dir, Instant at) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        Clock clock = Clock.systemUTC();
        out.printf("%nEach team's digest since its last scheduled one, up to %s (HTML e-mail):%n", at);
        try (SqliteRunStore store = new SqliteRunStore(db, clock, io.jobwatch.core.store.RunStore.DEFAULT_RETENTION);
             SqliteIncidents incidents = new SqliteIncidents(db)) {
            TeamDigests digests = new TeamDigests(store, catalog, incidents, clock);
            for (Team team : catalog.teams().values()) {
                Optional<Digest> d = digests.sinceLastScheduled(team, at);
                if (d.isEmpty()) {
                    continue;
                }
                Path file = dir.resolve(team.name() + ".html");
                Files.writeString(file, new HtmlDigestRenderer().render(d.get()), StandardCharsets.UTF_8);
                files.add(file);
                out.printf("  %-55s %s%n", file, d.get().subject());
            }
        }
        return files;
    }
}
