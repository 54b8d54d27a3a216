package io.jobwatch.local;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.DeliveryLog;
import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.digest.TeamDigests;
import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.Manifest;
import io.jobwatch.core.export.StoreExportSource;
import io.jobwatch.core.export.WeeklyExporter;
import io.jobwatch.core.incident.IncidentStore;
import io.jobwatch.core.incident.IncidentTracker;
import io.jobwatch.core.incident.JobHistory;
import io.jobwatch.core.incident.Transition;
import io.jobwatch.core.ingest.FinishedRuns;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.BreachStore;
import io.jobwatch.core.sla.SlaCheck;
import io.jobwatch.core.sla.SlaEngine;
import io.jobwatch.core.sla.SlaTracker;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.local.export.DirectoryExportDestination;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local server's scheduled work over the same core the CLI and Lambda use: SLA checks (breaches raised once,
 * cleared once, MISSING/LATE/LONG_RUNNING routed to the incident tracker), each team's digest, and the daily export
 * of the day before yesterday into {@code <db dir>/export}.
 */
final class StandardHooks {
    /** The export runs daily at this UTC time (the AWS schedule does the same). */
    static final LocalTime EXPORT_AT = LocalTime.of(3, 0);

    private StandardHooks() {
    }

    static LocalHooks of(RunStore store, IncidentStore incidents, BreachStore breaches, IncidentTracker tracker,
                         DeliveryLog deliveries, Path dataDir, Clock clock) {
        SlaEngine engine = new SlaEngine();
        SlaTracker slaTracker = new SlaTracker(breaches);
        LocalHooks.SlaChecks sla = (now, catalog) -> {
            if (catalog == null) {
                return List.of();
            }
            List<Breach> current = new SlaCheck(catalog, store, engine).evaluate(now);
            for (SlaTracker.Change change : slaTracker.update(current, now)) {
                Optional<Transition> t = change.transition();
                if (t.isPresent()) {
                    JobPolicy policy = catalog.resolve(t.get().job());
                    tracker.onTransition(t.get(), FinishedRuns.rulesOf(policy), JobHistory.unknown(),
                            policy.inMaintenance(t.get().at()));
                }
            }
            List<SlaBreach> out = new ArrayList<>();
            for (Breach b : current) {
                out.add(SlaBreach.of(b, catalog.resolve(b.job()).system()));
            }
            return out;
        };
        LocalHooks.DigestHook digests = (catalog, teams, firedAt) -> {
            List<LocalHooks.DueDigest> out = new ArrayList<>();
            if (catalog == null) {
                return out;
            }
            TeamDigests builder = new TeamDigests(store, catalog, incidents, clock);
            for (Team team : teams) {
                Optional<Digest> d = builder.of(team, firedAt, null, deliveries != null && deliveries.previousFailed(team.name()));
                d.ifPresent(digest -> out.add(new LocalHooks.DueDigest(team, digest)));
            }
            return out;
        };
        LocalHooks.ExportHook export = new LocalHooks.ExportHook() {
            @Override
            public Optional<Instant> nextAfter(Instant after) {
                Instant today = after.atZone(ZoneOffset.UTC).toLocalDate().atTime(EXPORT_AT).toInstant(ZoneOffset.UTC);
                return Optional.of(today.isAfter(after) ? today : today.plusSeconds(86_400));
            }

            @Override
            public String run(Instant firedAt) throws Exception {
                ExportPlan plan = ExportPlan.scheduledDay(Clock.fixed(firedAt, ZoneOffset.UTC));
                Path dir = dataDir.resolve("export");
                Manifest m = new WeeklyExporter(new StoreExportSource(store, null, incidents),
                        new DirectoryExportDestination(dir), clock, 1).export(plan);
                // The rollups' daily pass runs here too, so serve keeps them written (and re-exports changed days).
                var r = new io.jobwatch.core.export.RollupExporter(store.rollups(), null, new DirectoryExportDestination(dir))
                        .export(plan.days());
                return "export " + plan.days().get(0) + ": " + m.rows() + " runs → " + dir.resolve("runs") + ", "
                        + r.rows() + " job-days of rollups in " + r.days().size() + " day(s) → " + dir.resolve("rollups");
            }
        };
        return new LocalHooks(sla, digests, export);
    }
}
