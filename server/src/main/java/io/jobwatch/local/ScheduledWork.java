package io.jobwatch.local;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Schedule;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.channel.DigestSender;
import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.incident.DrainReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The server's periodic work, one {@link #tick} a minute: send the outbox, run the SLA checks, and run every digest
 * and export whose schedule fired since the previous tick. Schedules are read from the catalog in force at each tick,
 * so a hot reload takes effect at the next minute; a tick that comes late (a busy or suspended machine) still runs
 * what fell in between, once.
 *
 * <p>Each digest goes to its team's channels through the {@link DigestSender} every deployment uses. A delivery that
 * failed for a passing reason (SMTP down, a timeout: a retryable {@link DeliveryException}) is kept, for that channel
 * only, and tried again at every tick until it goes out, for at most
 * {@link #DIGEST_RETRY_FOR} after it was due; then it is given up with a log line. The retries live in memory: a
 * restart drops them, as it drops digests that fell due while the server was down.
 */
public final class ScheduledWork {
    private final Supplier<Catalog> catalog;
    private final LocalHooks hooks;
    private final OutboxDrain outbox;
    private final DigestSender sender;
    private final Metrics metrics;
    private final Consumer<String> log;
    private final AtomicReference<List<SlaBreach>> breaches = new AtomicReference<>(List.of());
    private final List<Undelivered> undelivered = new java.util.ArrayList<>();
    private Instant lastTick;

    /** How long an undelivered digest is retried after it was due. */
    public static final java.time.Duration DIGEST_RETRY_FOR = java.time.Duration.ofHours(24);

    private record Undelivered(Team team, DigestNotice notice, io.jobwatch.core.catalog.ChannelSpec spec, Instant due,
                               int attempts) {
        String subject() {
            return notice.digest().subject();
        }
    }

    /** @param start digests and exports due at or before this instant are not run (they were the previous process's) */
    public ScheduledWork(Supplier<Catalog> catalog, LocalHooks hooks, OutboxDrain outbox, DigestSender sender,
                         Metrics metrics, Consumer<String> log, Instant start) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.log = Objects.requireNonNull(log, "log");
        this.lastTick = Objects.requireNonNull(start, "start");
    }

    /** Digests that failed to go out and wait for the next tick's retry. */
    public synchronized int undeliveredDigests() {
        return undelivered.size();
    }

    /** The breaches of the latest SLA check (empty while no SLA checks are plugged in). */
    public List<SlaBreach> breaches() {
        return breaches.get();
    }

    public boolean slaEnabled() {
        return hooks.sla() != null;
    }

    /** Everything due at {@code now}; each part fails alone (logged) so one broken feature does not stop the others. */
    public synchronized void tick(Instant now) {
        Instant from = lastTick;
        if (now.isBefore(from)) {
            return;
        }
        sendOutbox();
        checkSla(now);
        retryDigests(now);
        sendDigests(from, now);
        runExport(from, now);
        lastTick = now;
    }

    /** Sends the outbox entries that are due. */
    public void sendOutbox() {
        try {
            report(outbox.drainDue());
        } catch (RuntimeException e) {
            log.accept("outbox: " + e.getMessage());
        }
    }

    /** Right after a request decided actions: sends those incidents' actions now (what fails waits for a tick). */
    public void sendNow(java.util.Set<String> incidents) {
        try {
            report(outbox.sendDue(incidents));
        } catch (RuntimeException e) {
            log.accept("outbox: " + e.getMessage());
        }
    }

    private void report(DrainReport r) {
        metrics.inc("jobwatch_incident_actions_sent_total", r.sent());
        metrics.inc("jobwatch_incident_actions_parked_total", r.parked());
        if (r.sent() + r.parked() + r.retried() > 0) {
            log.accept("outbox: sent " + r.sent() + ", retried " + r.retried() + ", parked " + r.parked()
                    + ", " + r.pending() + " pending");
        }
    }

    private void checkSla(Instant now) {
        if (hooks.sla() == null) {
            return;
        }
        try {
            breaches.set(List.copyOf(hooks.sla().check(now, catalog.get())));
        } catch (Exception e) {
            log.accept("SLA check failed (keeping the previous breaches): " + e.getMessage());
        }
    }

    private void sendDigests(Instant from, Instant now) {
        Catalog c = catalog.get();
        if (hooks.digests() == null || c == null) {
            return;
        }
        for (Map.Entry<Instant, List<Team>> due : dueDigests(c, from, now).entrySet()) {
            List<LocalHooks.DueDigest> digests;
            try {
                digests = hooks.digests().digests(c, due.getValue(), due.getKey());
            } catch (Exception e) {
                metrics.inc("jobwatch_digest_failures_total", 1);
                log.accept("digest of " + names(due.getValue()) + " at " + due.getKey() + " failed: " + e.getMessage());
                continue;
            }
            for (LocalHooks.DueDigest d : digests) {
                DigestSender.Sent sent = sender.send(d.team(), d.digest(), c.digest().fromAddress());
                if (sent.noChannel()) {
                    metrics.inc("jobwatch_digest_failures_total", 1);
                    log.accept("digest \"" + d.digest().subject() + "\" not delivered: no channel for team " + d.team().name());
                }
                DigestNotice notice = new DigestNotice(d.digest(), d.team().recipients(), c.digest().fromAddress());
                for (DigestSender.Delivery x : sent.deliveries()) {
                    if (x.delivered()) {
                        metrics.inc("jobwatch_digests_sent_total{via=\"" + x.spec().type() + "\"}", 1);
                        continue;
                    }
                    metrics.inc("jobwatch_digest_failures_total", 1);
                    if (x.failure().retryable()) {
                        undelivered.add(new Undelivered(d.team(), notice, x.spec(), due.getKey(), 1));
                        log.accept("digest \"" + d.digest().subject() + "\" not delivered, retried at the next tick: "
                                + x.failure().getMessage());
                    } else {
                        log.accept("digest \"" + d.digest().subject() + "\" not delivered: " + x.failure().getMessage());
                    }
                }
            }
        }
    }

    /** Tries the deliveries that failed before, oldest first; keeps the ones that fail again (for a while). */
    private void retryDigests(Instant now) {
        for (java.util.ListIterator<Undelivered> it = undelivered.listIterator(); it.hasNext(); ) {
            Undelivered u = it.next();
            DigestSender.Delivery x = sender.sendTo(u.spec(), u.notice());
            if (x.delivered()) {
                it.remove();
                sender.record(u.team().name(), u.notice().digest().window().to(), false);
                metrics.inc("jobwatch_digests_sent_total{via=\"" + u.spec().type() + "\"}", 1);
                log.accept("digest \"" + u.subject() + "\" delivered on attempt " + (u.attempts() + 1));
                continue;
            }
            metrics.inc("jobwatch_digest_failures_total", 1);
            if (!x.failure().retryable() || !now.isBefore(u.due().plus(DIGEST_RETRY_FOR))) {
                it.remove();
                metrics.inc("jobwatch_digests_abandoned_total", 1);
                log.accept("digest \"" + u.subject() + "\" given up after " + (u.attempts() + 1)
                        + " attempts: " + x.failure().getMessage());
            } else {
                it.set(new Undelivered(u.team(), u.notice(), u.spec(), u.due(), u.attempts() + 1));
            }
        }
    }

    private void runExport(Instant from, Instant now) {
        LocalHooks.ExportHook export = hooks.export();
        if (export == null) {
            return;
        }
        Optional<Instant> next = export.nextAfter(from);
        if (next.isEmpty() || next.get().isAfter(now)) {
            return;
        }
        try {
            log.accept("export: " + export.run(next.get()));
            metrics.inc("jobwatch_exports_total", 1);
        } catch (Exception e) {
            metrics.inc("jobwatch_export_failures_total", 1);
            log.accept("export due at " + next.get() + " failed: " + e.getMessage());
        }
    }

    /**
     * The teams whose digest fired in {@code (after, upTo]}, by firing time (a team's own schedule and time zone, else
     * the catalog's digest schedule). A team whose schedule fired several times in the interval is listed once, at its
     * latest firing: one digest covers the missed ones.
     */
    public static Map<Instant, List<Team>> dueDigests(Catalog catalog, Instant after, Instant upTo) {
        Map<Instant, List<Team>> due = new TreeMap<>();
        for (Team team : catalog.teams().values()) {
            Schedule schedule = team.digestSchedule().orElse(catalog.digest().schedule());
            Instant fired = null;
            Optional<Instant> next = schedule.nextAfter(after, team.timezone());
            while (next.isPresent() && !next.get().isAfter(upTo)) {
                fired = next.get();
                next = schedule.nextAfter(fired, team.timezone());
            }
            if (fired != null) {
                due.computeIfAbsent(fired, k -> new ArrayList<>()).add(team);
            }
        }
        return due;
    }

    private static String names(List<Team> teams) {
        return teams.stream().map(Team::name).toList().toString();
    }
}
