package io.jobwatch.core.digest;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Schedule;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.SlaCheck;
import io.jobwatch.core.sla.SlaEngine;
import io.jobwatch.core.store.RunStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds each team's digest from the store (key/index queries: job summaries, the window's runs, open runs), the
 * catalog, the open incidents and the SLA check — the same inputs the Lambda digest uses.
 */
public final class TeamDigests {
    private final RunStore store;
    private final Catalog catalog;
    private final Map<JobKey, String> openIncidents = new HashMap<>();
    private final Clock clock;
    private DigestInputs inputs;
    private Map<String, List<SlaBreach>> breachesByTeam;
    private final Map<java.time.LocalDate, List<io.jobwatch.core.store.JobDay>> trendDays = new HashMap<>();

    public TeamDigests(RunStore store, Catalog catalog, IncidentStore incidents, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.clock = clock;
        if (incidents != null) {
            for (IncidentRecord r : incidents.open()) {
                if (r.number() != null) {
                    openIncidents.putIfAbsent(r.job(), r.number());
                }
            }
        }
    }

    /**
     * The team's digest for the window ending at {@code now}: the window since the previous scheduled digest, or the
     * last {@code since} when given. Empty when the team has no jobs with runs.
     */
    public Optional<Digest> of(Team team, Instant now, Duration since) {
        return of(team, now, since, false);
    }

    /**
     * The same, saying in the digest whether the team's previous digest could not be delivered
     * ({@link DeliveryLog#previousFailed}).
     */
    public Optional<Digest> of(Team team, Instant now, Duration since, boolean previousDeliveryFailed) {
        Schedule schedule = DigestInputs.scheduleOf(catalog, team);
        DigestWindow window = since != null ? new DigestWindow(now.minus(since), now)
                : DigestInputs.windowAt(schedule, team.timezone(), now);
        DigestWindow previous = since != null ? new DigestWindow(now.minus(since).minus(since), now.minus(since))
                : DigestInputs.windowBefore(schedule, team.timezone(), window);
        if (inputs == null) {
            inputs = new DigestInputs(store, catalog, openIncidents);
        }
        List<JobView> views = inputs.forTeam(team.name(), window, previous);
        List<SlaBreach> breaches = breaches(now).getOrDefault(team.name(), List.of());
        if (views.isEmpty() && breaches.isEmpty()) {
            return Optional.empty();
        }
        Digest digest = new DigestBuilder(clock).build(new DigestTeam(team.name(), team.timezone()), window, previous,
                views, Optional.of(breaches), previousDeliveryFailed);
        // The week's trend from the daily rollups: the 7 days up to the window's end against the 7 before.
        java.time.LocalDate lastDay = java.time.LocalDate.ofInstant(window.to(), java.time.ZoneOffset.UTC);
        var trends = new io.jobwatch.core.trend.Trends(store.rollups(), catalog);
        // One read of the 14 days for all the teams of this run (the rollups of every job, then split by team).
        var days = trendDays.computeIfAbsent(lastDay, d -> trends.jobDays(d.minusDays(13), d,
                io.jobwatch.core.trend.Trends.Filter.ALL));
        var trend = trends.weekOf(team.name(), lastDay, days);
        return Optional.of(trend.map(t -> digest.withTrend(t.text())).orElse(digest));
    }

    /**
     * The team's digest if it were sent at {@code now}, between its scheduled times: everything since its last
     * scheduled digest (a weekdays-only team on a Sunday: since Friday's). At a scheduled time it is that digest.
     */
    public Optional<Digest> sinceLastScheduled(Team team, Instant now) {
        Instant last = DigestInputs.windowAt(DigestInputs.scheduleOf(catalog, team), team.timezone(), now).to();
        return last.isBefore(now) ? of(team, now, Duration.between(last, now), false) : of(team, now, null, false);
    }

    /** Current SLA breaches per team (one evaluation for all teams). */
    private Map<String, List<SlaBreach>> breaches(Instant now) {
        if (breachesByTeam == null) {
            breachesByTeam = new HashMap<>();
            for (Breach b : new SlaCheck(catalog, store, new SlaEngine()).evaluate(now)) {
                var policy = catalog.resolve(b.job());
                if (policy.inDigest()) {
                    breachesByTeam.computeIfAbsent(policy.team().name(), k -> new ArrayList<>())
                            .add(SlaBreach.of(b, policy.system()));
                }
            }
        }
        return breachesByTeam;
    }
}
