package io.jobwatch.core.sla;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.catalog.Account;
import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Expectations;
import io.jobwatch.core.catalog.Rule;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.source.HttpSource;
import io.jobwatch.core.source.Sources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The jobs the catalog names exactly, so that a job that has never run is still checked ("expected jobs").
 *
 * <p>Catalog rules are patterns, not job lists. A rule names jobs when its {@code match} pins each of
 * {@code source}, {@code jobName}, {@code region} and the account ({@code account}, or a {@code system} the catalog
 * maps to accounts) to exact strings, e.g. {@code match: {source: [glue-job], account: ["234567890123"],
 * region: [eu-west-1], jobName: [fin-close-reconciliation]}} (several exact values name several jobs). Such a job is
 * expected when that rule is the one that applies to it (no earlier rule takes it) and its expectations declare a
 * schedule or a deadline. Every other job becomes known to the SLA checks once one of its runs is stored.
 *
 * <p>Jobs outside AWS have no account or region: a rule names pinged jobs by {@code source: [ping]}, {@code team} and
 * {@code jobName} (the slug), and OpenLineage jobs by {@code source: [openlineage]} and {@code jobName}
 * ({@code namespace/name}) — so a declared ping job is MISSING when its first ping never comes.
 */
public final class ExpectedJobs {
    /** More jobs than this from one rule means it is not a job list; it is ignored. */
    static final int MAX_PER_RULE = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private ExpectedJobs() {
    }

    /** The expected jobs of a catalog, in rule order. */
    public static List<JobKey> of(Catalog catalog) {
        Set<JobKey> out = new LinkedHashSet<>();
        for (Rule rule : catalog.rules()) {
            for (JobKey job : named(rule, catalog)) {
                Expectations e = catalog.resolve(job).expectations();
                if (catalog.resolve(job).ruleIndex() == rule.index()
                        && (e.schedule().isPresent() || e.deadline().isPresent())) {
                    out.add(job);
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * Every job the catalog names exactly (a rule pins it and is the rule that applies to it), with or without
     * expectations, in rule order: e.g. the AppFlow flows and EMR Serverless applications the reconciler asks about.
     */
    public static List<JobKey> named(Catalog catalog) {
        Set<JobKey> out = new LinkedHashSet<>();
        for (Rule rule : catalog.rules()) {
            for (JobKey job : named(rule, catalog)) {
                if (catalog.resolve(job).ruleIndex() == rule.index()) {
                    out.add(job);
                }
            }
        }
        return List.copyOf(out);
    }

    /** The jobs a rule's match pins exactly, or none. */
    static List<JobKey> named(Rule rule, Catalog catalog) {
        JsonNode match;
        try {
            match = JSON.readTree(rule.match());
        } catch (IOException e) {
            throw new UncheckedIOException("rule " + rule.name() + ": match is not JSON", e);
        }
        Optional<List<String>> sources = exact(match, "source");
        Optional<List<String>> names = exact(match, "jobName");
        if (sources.isPresent() && names.isPresent() && !sources.get().isEmpty() && sources.get().stream()
                .allMatch(s -> JobSource.byId(s).map(Sources::of).orElse(null) instanceof HttpSource)) {
            return namedOutsideAws(sources.get(), names.get(), exact(match, "team"));
        }
        Optional<List<String>> regions = exact(match, "region");
        Optional<List<String>> accounts = exact(match, "account");
        Optional<List<String>> systems = exact(match, "system");
        if (sources.isEmpty() || names.isEmpty() || regions.isEmpty() || accounts.isEmpty() && systems.isEmpty()) {
            return List.of();
        }
        List<String> accountIds = new ArrayList<>();
        if (accounts.isPresent()) {
            accountIds.addAll(accounts.get());
        } else {
            for (Map.Entry<String, Account> a : catalog.accounts().entrySet()) {
                if (systems.get().contains(a.getValue().system())) {
                    accountIds.add(a.getKey());
                }
            }
        }
        long count = (long) sources.get().size() * names.get().size() * regions.get().size() * accountIds.size();
        if (count > MAX_PER_RULE) {
            return List.of();
        }
        List<JobKey> out = new ArrayList<>();
        for (String s : sources.get()) {
            Optional<JobSource> source = JobSource.byId(s);
            if (source.isEmpty() || Sources.of(source.get()) instanceof HttpSource) {
                continue;
            }
            for (String account : accountIds) {
                for (String region : regions.get()) {
                    for (String name : names.get()) {
                        out.add(new JobKey(account, region, source.get(), name));
                    }
                }
            }
        }
        return out;
    }

    /** Jobs of HTTP sources a rule pins: a ping job by team and slug, an OpenLineage job by its name. */
    private static List<JobKey> namedOutsideAws(List<String> sources, List<String> names, Optional<List<String>> teams) {
        List<JobKey> out = new ArrayList<>();
        for (String s : sources) {
            JobSource source = JobSource.byId(s).orElseThrow();
            boolean byTeam = ((HttpSource) Sources.of(source)).ownedByKeyTeam();
            if (byTeam && teams.isEmpty()) {
                continue; // a slug without its team is not one job
            }
            for (String owner : byTeam ? teams.get() : List.of("")) {
                for (String name : names) {
                    out.add(new JobKey(owner, "", source, name));
                }
            }
        }
        return out.size() > MAX_PER_RULE ? List.of() : out;
    }

    /** The field's values when it is an array of plain strings (exact matches); empty otherwise or when absent. */
    private static Optional<List<String>> exact(JsonNode match, String field) {
        JsonNode values = match.get(field);
        if (values == null || !values.isArray() || values.isEmpty()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (Iterator<JsonNode> it = values.elements(); it.hasNext(); ) {
            JsonNode v = it.next();
            if (!v.isTextual() || v.asText().isEmpty()) {
                return Optional.empty();
            }
            out.add(v.asText());
        }
        return Optional.of(out);
    }
}
