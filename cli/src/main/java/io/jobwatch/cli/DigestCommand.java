package io.jobwatch.cli;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelRegistry;
import io.jobwatch.core.channel.DigestSender;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.HtmlDigestRenderer;
import io.jobwatch.core.digest.TeamDigests;
import io.jobwatch.core.digest.TextDigestRenderer;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.notify.AwsSetup;
import io.jobwatch.notify.StandardChannels;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch digest}: each team's digest, rendered or sent. */
@Command(name = "digest", mixinStandardHelpOptions = true,
        description = {"Render each team's digest (what failed, is still failing, is late or missing, recovered, runs now)"
                + " for the window since its previous scheduled digest (or --since), from the store and the catalog.",
            "Without --send it prints (or writes to --out) the digest; with --send it sends it to the team's channels:"
                + " the team's channels: in the catalog, else SMTP when JOBWATCH_SMTP_HOST is set (JOBWATCH_SMTP_PORT,"
                + " JOBWATCH_SMTP_USER + JOBWATCH_SMTP_PASSWORD) and the team has recipients, else Amazon SES v2 when"
                + " JOBWATCH_SES_FROM is set and it has recipients, else the text to the SNS topic JOBWATCH_SNS_TOPIC_ARN."})
final class DigestCommand implements Callable<Integer> {

    @ParentCommand
    Jobwatch root;

    @Mixin
    StoreOptions storeOptions;

    @Option(names = "--config", paramLabel = "FILE", description = "Catalog with the teams (default: ./jobwatch.yml, else the built-in example).")
    String config;

    @Option(names = "--team", paramLabel = "T", description = "Only this team (default: every team of the catalog).")
    String team;

    @Option(names = "--since", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Window length ending now (e.g. 6h); default: since the team's previous scheduled digest.")
    Duration since;

    @Option(names = "--at", paramLabel = "ISO-TIME", description = "Build the digest as of this time instead of now.")
    Instant at;

    @Option(names = "--format", defaultValue = "text", paramLabel = "html|text", description = "Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write here instead of stdout; with several teams, a folder holding TEAM.html / TEAM.txt.")
    Path outFile;

    @Option(names = "--send", description = "Deliver to the team's recipients instead of printing.")
    boolean send;

    enum Format { html, text }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = root.spec.commandLine().getOut();
        PrintWriter err = root.spec.commandLine().getErr();
        CatalogFiles.Found found = CatalogFiles.loadOrReport(config, err);
        if (found == null) {
            return 2;
        }
        Catalog catalog = found.catalog();
        List<Team> teams = new ArrayList<>();
        if (team != null) {
            Optional<Team> t = catalog.team(team);
            if (t.isEmpty()) {
                err.println("jobwatch digest: no team '" + team + "' in " + found.source().describe() + "; teams: "
                        + String.join(", ", catalog.teams().keySet()));
                return 2;
            }
            teams.add(t.get());
        } else {
            teams.addAll(catalog.teams().values());
        }
        Clock clock = Clock.systemUTC();
        Instant now = at != null ? at : clock.instant();
        ChannelRegistry channels = StandardChannels.registry(AwsSetup.defaults());
        if (send) {
            List<String> problems = channels.problems(catalog);
            if (!problems.isEmpty()) {
                problems.forEach(p -> err.println("jobwatch digest: " + p));
                return 2;
            }
        }
        int failures = 0;
        try (RunStore store = storeOptions.open(clock); io.jobwatch.core.incident.Incidents incidents = storeOptions.openIncidents(clock);
             StoreOptions.Deliveries deliveries = send ? storeOptions.openDeliveries() : null) {
            TeamDigests digests = new TeamDigests(store, catalog, incidents, clock);
            // Each channel retried (transient failures), then reported; the next digest says the previous one was not
            // delivered.
            DigestSender sender = send ? new DigestSender(channels, new ChannelContext(root.env, clock,
                    storeOptions.dataDir()), root.sleeper, deliveries) : null;
            for (Team t : teams) {
                Optional<Digest> d = digests.of(t, now, since, send && sender.previousFailed(t.name()));
                if (d.isEmpty()) {
                    if (team != null) {
                        out.println("team " + t.name() + ": no jobs with runs in the store");
                    }
                    continue;
                }
                Digest digest = d.get();
                if (send) {
                    DigestSender.Sent sent = sender.send(t, digest, catalog.digest().fromAddress());
                    if (sent.noChannel()) {
                        err.println("jobwatch digest: " + t.name() + ": not delivered: no channel — give the team"
                                + " channels: in the catalog, or set JOBWATCH_SMTP_HOST (SMTP) or JOBWATCH_SES_FROM"
                                + " (Amazon SES; both need the team's recipients) or JOBWATCH_SNS_TOPIC_ARN (Amazon SNS)");
                        failures++;
                    } else if (sent.delivered()) {
                        out.println("sent " + t.name() + ": " + digest.subject() + " → " + String.join(", ",
                                t.recipients().isEmpty() ? sent.deliveries().stream().map(x -> x.target()).toList()
                                        : t.recipients()));
                    } else {
                        err.println("jobwatch digest: " + t.name() + ": not delivered: " + sent.describe());
                        failures++;
                    }
                    continue;
                }
                String body = format == Format.html ? new HtmlDigestRenderer().render(digest) : new TextDigestRenderer().render(digest);
                if (outFile == null) {
                    out.print(body);
                    out.println();
                } else {
                    Path file = teams.size() == 1 ? outFile : outFile.resolve(t.name() + (format == Format.html ? ".html" : ".txt"));
                    if (file.toAbsolutePath().getParent() != null) {
                        Files.createDirectories(file.toAbsolutePath().getParent());
                    }
                    Files.writeString(file, body, StandardCharsets.UTF_8);
                    out.println(file + "  " + digest.subject());
                }
            }
        }
        return failures > 0 ? 1 : 0;
    }
}
