package io.jobwatch.cli;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.catalog.Durations;
import io.jobwatch.core.catalog.IncidentSettings;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.Rule;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.channel.Variables;
import io.jobwatch.notify.AwsSetup;
import io.jobwatch.notify.StandardChannels;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code jobwatch config}: check the catalog (jobwatch.yml) and explain what it says about a job. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {"Check the catalog (jobwatch.yml) and explain what it says about a job.",
            "The catalog is --config FILE, else ./jobwatch.yml, else the built-in example."},
        subcommands = {ConfigCommand.Validate.class, ConfigCommand.Explain.class})
final class ConfigCommand implements Runnable {

    @ParentCommand
    Jobwatch root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.spec.commandLine().getOut());
    }

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Validate a catalog and print a summary.",
                "Exit code: 0 when valid; 2 when not (every error on stderr as FILE:LINE:COLUMN: KEY.PATH: what — fix: how).",
                "A channel setting written \"${NAME}\" whose variable is not set here is named on stderr (FILE:LINE:COLUMN)"
                    + " as a warning — on AWS the value may live in the channel secrets — or as an error with"
                    + " --require-env."})
    static final class Validate implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Parameters(arity = "0..1", paramLabel = "FILE", description = "The catalog to check (default: --config, else"
                + " ./jobwatch.yml, else the built-in example).")
        String file;

        @Option(names = "--config", paramLabel = "FILE", description = "The catalog, when FILE is not given.")
        String configFile;

        @Option(names = "--require-env", description = "Fail (exit 2) when a channel's \"${NAME}\" is not set in this"
                + " environment: validate where Jobwatch runs.")
        boolean requireEnv;

        @Override
        public Integer call() {
            PrintWriter out = config.root.spec.commandLine().getOut();
            PrintWriter err = config.root.spec.commandLine().getErr();
            CatalogFiles.Source source;
            try {
                source = CatalogFiles.read(file != null ? file : configFile);
            } catch (CatalogFiles.Unreadable e) {
                err.println(e.getMessage());
                return 2;
            }
            CatalogResult result = CatalogLoader.load(source.label(), source.text());
            if (result instanceof CatalogResult.Invalid invalid) {
                out.flush();
                CatalogFiles.report(source.label(), invalid, err);
                return 2;
            }
            Catalog c = ((CatalogResult.Loaded) result).catalog();
            // The teams' channels, against every type Jobwatch offers (e-mail, SES, SNS, the local server's files).
            List<String> channelProblems = StandardChannels.registry(AwsSetup.defaults(),
                    io.jobwatch.local.HtmlFileChannel.FACTORY, null).problems(c);
            if (!channelProblems.isEmpty()) {
                out.flush();
                channelProblems.forEach(err::println);
                return 2;
            }
            // Only names and places are printed, never a value.
            List<String> unset = StandardChannels.registry(AwsSetup.defaults()).unset(c, Variables.of(config.root.env));
            if (requireEnv && !unset.isEmpty()) {
                out.flush();
                unset.forEach(err::println);
                return 2;
            }
            out.printf("%s: valid: %d accounts, %d teams, %d rules%n", source.describe(), c.accounts().size(),
                    c.teams().size(), c.rules().size());
            IncidentSettings i = c.incidents();
            out.printf("  incidents: %s%n", i.configured() ? i.instanceUrl().get() + i.username().map(u -> " as " + u).orElse("")
                    + i.password().map(p -> ", password from " + p.describe()).orElse("") : "not sent (no incidents.instanceUrl)");
            out.printf("  digest: %s (%s)%s; run retention %s, rollups %s%n", c.digest().schedule().expression(),
                    c.digest().timezone().getId(), c.digest().fromAddress().map(f -> " from " + f).orElse(""),
                    Durations.format(c.retention().runs()), Durations.format(c.retention().rollups()));
            String channels = channelSummary(c);
            if (!channels.isEmpty()) {
                out.printf("  channels: %s%n", channels);
            }
            if (!unset.isEmpty()) {
                out.flush();
                unset.forEach(u -> err.println(u.replaceFirst(": teams\\.", ": warning: teams.")));
            }
            return 0;
        }
    }

    /** "erp-ops: slack, teams, pagerduty, webhook; …" — types only, no setting (a URL may be a secret). */
    static String channelSummary(Catalog c) {
        List<String> parts = new java.util.ArrayList<>();
        c.teams().values().forEach(t -> {
            if (!t.channels().isEmpty()) {
                parts.add(t.name() + ": " + String.join(", ", t.channels().stream()
                        .map(io.jobwatch.core.catalog.ChannelSpec::type).toList()));
            }
        });
        return String.join("; ", parts);
    }

    /**
     * The team's channels with their settings, a secret only ever as its {@code ${NAME}} (one written out — which
     * {@code config validate} refuses — is not shown).
     */
    static String channels(io.jobwatch.core.catalog.Team team) {
        io.jobwatch.core.channel.ChannelRegistry registry = StandardChannels.registry(AwsSetup.defaults(),
                io.jobwatch.local.HtmlFileChannel.FACTORY, null);
        List<String> out = new java.util.ArrayList<>();
        for (io.jobwatch.core.catalog.ChannelSpec c : team.channels()) {
            java.util.Set<String> secret = registry.factory(c.type()).map(f -> f.secretSettings())
                    .orElse(java.util.Set.of());
            List<String> settings = new java.util.ArrayList<>();
            new java.util.TreeMap<>(c.settings()).forEach((k, v) -> settings.add(k + "=" + (secret.contains(k)
                    && io.jobwatch.core.catalog.SettingRef.name(v).isEmpty() ? "(inline secret, not shown)" : v)));
            out.add(c.type() + (settings.isEmpty() ? "" : " " + String.join(" ", settings)));
        }
        return String.join("; ", out);
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {"Show which rule matches a job and the policy it resolves to.",
                "Exit code: 0; 2 when the catalog is invalid or the source unknown."})
    static final class Explain implements Callable<Integer> {
        @ParentCommand
        ConfigCommand config;

        @Option(names = "--job", required = true, paramLabel = "NAME", description = "The job's name as the service knows it.")
        String job;

        @Option(names = "--source", required = true, paramLabel = "SOURCE", completionCandidates = SourcesCommand.Ids.class,
                description = "One of ${COMPLETION-CANDIDATES}.")
        String source;

        @Option(names = "--account", required = true, paramLabel = "ACCOUNT", description = "12-digit AWS account id.")
        String account;

        @Option(names = "--region", paramLabel = "REGION", description = "AWS region (rules that match on region need it).")
        String region;

        @Option(names = "--config", paramLabel = "FILE", description = "The catalog (default: ./jobwatch.yml, else the built-in example).")
        String configFile;

        @Override
        public Integer call() {
            PrintWriter out = config.root.spec.commandLine().getOut();
            PrintWriter err = config.root.spec.commandLine().getErr();
            JobSource src = JobSource.byId(source).orElse(null);
            if (src == null) {
                List<String> ids = Arrays.stream(JobSource.values()).map(JobSource::id).toList();
                err.println("unknown source '" + source + "': use one of " + String.join(", ", ids));
                return 2;
            }
            CatalogFiles.Found found = CatalogFiles.loadOrReport(configFile, err);
            if (found == null) {
                return 2;
            }
            Catalog catalog = found.catalog();
            // The job as the service names it, then as Jobwatch knows it (a per-run suffix stripped, or the catalog's
            // identity rule): the same normalizer ingest uses.
            JobKey raw = new JobKey(account, region == null ? "" : region, src, job);
            io.jobwatch.core.source.StableName identity = new io.jobwatch.core.normalize.EventNormalizer()
                    .withIdentity(Catalog.identities(() -> catalog)).stableName(raw);
            JobKey key = new JobKey(raw.account(), raw.region(), src, identity.name());
            JobPolicy p = catalog.resolve(key);
            List<Rule> matching = catalog.matchingRules(key);

            out.printf("catalog:      %s%n", found.source().describe());
            out.printf("job:          %s%s%n", key.id(), region == null ? "  (no --region: rules on region cannot match)" : "");
            out.printf("identity:     %s (%s)%n", identity.name(), identity.why());
            out.printf("account:      %s%n", catalog.account(account)
                    .map(a -> account + " = " + a.system() + a.environment().map(e -> " (" + e + ")").orElse(""))
                    .orElse(account + " (not in the catalog's accounts)"));
            if (matching.isEmpty()) {
                out.printf("rule:         none matched: the defaults apply%n");
            } else {
                Rule r = matching.get(0);
                out.printf("rule:         jobs[%d] %s (%s:%d)%n", r.index(), r.name(), catalog.file(), r.line());
                out.printf("match:        %s%n", r.match());
                if (matching.size() > 1) {
                    out.printf("shadowed:     %s%n", String.join(", ", matching.subList(1, matching.size()).stream()
                            .map(x -> "jobs[" + x.index() + "] " + x.name()).toList()));
                }
            }
            out.printf("team:         %s%n", PolicyText.team(p.team()));
            if (!p.team().channels().isEmpty()) {
                out.printf("channels:     %s%n", channels(p.team()));
            }
            out.printf("criticality:  %s%n", p.criticality().id());
            out.printf("incident:     %s%n", PolicyText.incident(p.incident()));
            out.printf("digest:       %s%n", p.inDigest() ? "include" : "exclude");
            out.printf("expectations: %s%n", PolicyText.expectations(p.expectations()));
            out.printf("maintenance:  %s%n", PolicyText.maintenance(p));
            return 0;
        }
    }
}
