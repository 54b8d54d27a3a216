package io.jobwatch.bench;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.digest.DigestInputs;
import io.jobwatch.core.export.ExportPlan;
import io.jobwatch.core.export.Manifest;
import io.jobwatch.core.export.StoreExportSource;
import io.jobwatch.core.export.WeeklyExporter;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.sla.SlaCheck;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.Outcome;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.dynamodb.DynamoRunStore;
import io.jobwatch.store.dynamodb.testing.Dynalite;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Jobwatch measured side by side with a faithful baseline of the seed's design, on the same simulated data in the
 * same run: ingest (SQLite and dynalite, requests and units per event), the digest's reads for all teams (Query
 * design vs Scan), the SLA check's reads, the weekly export (store-backed, vs Scan-into-a-list) and what the table
 * stores. DynamoDB figures come from dynalite with a {@link CapacityMeter} on the client.
 *
 * <p>Sampling: dynalite serves ~300 requests/s, so DynamoDB is always measured at 1× (a simulated week, or a short
 * sample with {@code --quick}); requests and units per event do not depend on the scale, reads per digest/export grow
 * with the jobs and runs (linear). SQLite throughput, digest and SLA reads are measured at the requested scale.
 */
final class SeedComparison {
    /** The digest's schedule in the infrastructure's defaults: cron(0 6,11,15,19 * * ? *). */
    static final Duration DIGEST_WINDOW = Duration.ofHours(4);
    /** DigestInputs reads runs from this long before the previous window (a run may have started a day earlier). */
    static final Duration LONGEST_RUN = Duration.ofDays(1);

    /**
     * @param scale      jobs multiplier for the SQLite figures (DynamoDB is always counted at 1×)
     * @param quick      small samples, 3 runs (CI)
     * @param countsOnly only what the cost model needs: counted requests and units, no timing repeats, no SQLite
     */
    record Options(int scale, boolean quick, boolean countsOnly) {
    }

    private final Options options;
    private final PrintStream log;
    private final Results results = new Results();
    private final int warmups;
    private final int runs;

    SeedComparison(Options options, PrintStream log) {
        this.options = options;
        this.log = log;
        this.warmups = options.countsOnly() ? 0 : 1;
        this.runs = options.countsOnly() ? 1 : options.quick() ? 3 : 5;
    }

    static Results run(Options options, PrintStream log) throws IOException {
        return new SeedComparison(options, log).all();
    }

    private Results all() throws IOException {
        Path dir = Files.createTempDirectory("jobwatch-bench-");
        try {
            if (!options.countsOnly()) {
                sqlite(dir);
            }
            dynamo();
        } finally {
            deleteTree(dir);
        }
        return results;
    }

    // ---- SQLite at the requested scale ---------------------------------------------------------------------------

    private void sqlite(Path dir) throws IOException {
        int scale = options.scale();
        int days = options.quick() ? 1 : scale == 1 ? 7 : 1;
        Workload w = Workload.of(scale, days);
        log.printf("sqlite: %,d events (%d day(s), %d jobs, scale %d)%n", w.events().size(), days, w.jobs(), scale);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] rates = new double[runs];
        double[] cpuRates = new double[runs];
        double load = Measure.loadAverage();
        Path last = null;
        for (int i = 0; i < warmups + runs; i++) {
            Path db = dir.resolve("ingest-" + i + ".db");
            try (RunStore store = new SqliteRunStore(db, Clock.systemUTC(), RunStore.DEFAULT_RETENTION)) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                store.applyAll(w.events());
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                if (i >= warmups) {
                    rates[i - warmups] = w.events().size() / ((t1 - t0) / 1e9);
                    cpuRates[i - warmups] = w.events().size() / ((c1 - c0) / 1e9);
                }
            }
            if (last != null) {
                Files.deleteIfExists(last);
            }
            last = db;
        }
        results.add(new Results.Figure("ingest.sqlite", String.format("ingest on SQLite (%s, %d×, one applyAll)",
                days == 1 ? "a simulated day" : "a simulated week", scale), Measure.median(rates), null, "events/s",
                true, "≥ 20,000/s", String.format("%d × %,d events; min %,.0f, max %,.0f; by CPU time of the ingest"
                        + " thread %,.0f/s; load %.1f", runs, w.events().size(), Measure.min(rates),
                Measure.max(rates), Measure.median(cpuRates), load)));

        // Reads on the filled file (the last measured run's).
        try (RunStore store = new SqliteRunStore(last, Clock.systemUTC(), RunStore.DEFAULT_RETENTION)) {
            Instant now = w.lastDay().atTime(19, 0).toInstant(ZoneOffset.UTC);
            AtomicLong sink = new AtomicLong();
            double[] digest = Measure.millis(2, runs, () -> { }, () -> digestReads(store, now, sink));
            results.add(new Results.Figure("digest.sqlite", String.format("digest reads for all teams on SQLite (%d×)",
                    scale), Measure.median(digest), null, "ms", false, "< 100 ms",
                    String.format("DigestInputs' reads: briefPerJob + runs of the window; %d runs; min %.1f, max %.1f; load %.1f",
                            runs, Measure.min(digest), Measure.max(digest), Measure.loadAverage())));
            double[] sla = Measure.millis(2, runs, () -> { }, () -> sink.addAndGet(slaReads(store)));
            results.add(new Results.Figure("sla.sqlite", String.format("SLA check reads for all jobs on SQLite (%d×)",
                    scale), Measure.median(sla), null, "ms", false, "",
                    String.format("briefPerJob + openRuns (%,d summaries); %d runs; min %.1f, max %.1f", store.briefPerJob().size(),
                            runs, Measure.min(sla), Measure.max(sla))));
            ExportPlan plan = ExportPlan.days(w.first(), w.lastDay());
            ExportBench.CountingDestination dest = new ExportBench.CountingDestination();
            long[] rows = new long[1];
            long[] rss = new long[1];
            double[] export = Measure.millis(1, runs, () -> {
                System.gc();
                Measure.resetPeakRss();
            }, () -> {
                Manifest m = new WeeklyExporter(new StoreExportSource(store, null, null), dest, exportClock(w), 4)
                        .export(plan);
                rows[0] = m.rows();
                rss[0] = Math.max(rss[0], Measure.peakRss());
            });
            results.add(new Results.Figure("export.sqlite", String.format("export %d day(s) from SQLite (%d×)", days,
                    scale), Measure.median(export), null, "ms", false, "", String.format(
                    "%,d runs, 4 threads, gzip " + io.jobwatch.core.export.CsvRunWriter.DEFAULT_GZIP_LEVEL + "; peak RSS %,d MB; min %.0f, max %.0f", rows[0], rss[0] >> 20,
                    Measure.min(export), Measure.max(export))));
            results.counts.put("sqlite.exportRows", (double) rows[0]);
        }
    }

    /** The reads of one digest run for all teams: what {@link DigestInputs} reads (summaries once, runs of the range). */
    private void digestReads(RunStore store, Instant now, AtomicLong sink) {
        Instant from = now.minus(DIGEST_WINDOW.multipliedBy(2)).minus(LONGEST_RUN);
        DigestInputs inputs = new DigestInputs(store, catalog(), Map.of());
        inputs.runsByJob(from, now).values().forEach(l -> sink.addAndGet(l.size()));
    }

    /** The reads of one SLA check: what {@link SlaCheck#contexts()} reads (summaries, open runs). */
    private static int slaReads(RunStore store) {
        return store.briefPerJob().size() + store.openRuns().size();
    }

    private Catalog catalog;

    private Catalog catalog() {
        if (catalog == null) {
            try {
                Path file = Bench.repoRoot().resolve("examples/jobwatch.yml");
                CatalogResult r = CatalogLoader.load(file.toString(), Files.readString(file));
                if (r instanceof CatalogResult.Invalid invalid) {
                    throw new IllegalStateException("examples/jobwatch.yml is invalid: " + invalid.errors().get(0));
                }
                catalog = ((CatalogResult.Loaded) r).catalog();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return catalog;
    }

    private static Clock exportClock(Workload w) {
        return Clock.fixed(w.lastDay().plusDays(1).atTime(3, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    }

    // ---- DynamoDB (dynalite) at 1× -------------------------------------------------------------------------------

    private int tables;

    private void dynamo() throws IOException {
        Workload week = Workload.of(1, options.quick() ? 1 : 7);
        Workload sample = options.quick() ? week.firstEvents(400) : week;
        Workload timed = options.quick() ? week.firstEvents(120) : Workload.of(1, 1);
        results.counts.put("eventsPerDay", Workload.of(1, 1).eventsPerDay());
        results.counts.put("jobs", (double) week.jobs());
        CapacityMeter meter = new CapacityMeter();
        try (Dynalite d = Dynalite.start(); DynamoDbClient client = d.client(meter);
             DynamoDbClient plain = d.client()) {
            if (!options.countsOnly()) {
                ingestRate(client, timed);
            }
            String jw = newTable(client, true);
            // Index writes are counted on the counted table only: the meter's reads would slow the timed ingest.
            meter.billIndexes(jw, plain);
            String seed = newTable(client, false);
            log.printf("dynalite: filling both tables with %,d events (%s)%n", sample.events().size(),
                    options.quick() ? "quick sample" : "a simulated week");
            // The store's clock follows the events (each arrives as it happens, as in production): a simulated past
            // week read by today's clock would make every finished run a late one (a rollup line for a past day).
            FollowingClock clock = new FollowingClock(sample.events().get(0).eventTime());
            RunStore store = new DynamoRunStore(client, jw, clock, RunStore.DEFAULT_RETENTION);
            ingestCounts(client, jw, store, clock, meter, sample);
            seedIngestCounts(new SeedIngestBaseline(client, seed, Clock.systemUTC()), meter, sample);
            Instant now = sample.events().stream().map(RunEvent::eventTime).max(Comparator.naturalOrder()).orElseThrow();
            now = now.atZone(ZoneOffset.UTC).withMinute(0).withSecond(0).withNano(0).toInstant().plusSeconds(3600);
            digest(client, meter, store, seed, now);
            sla(meter, store);
            export(client, meter, store, seed, sample);
            storage(plain, jw, seed);
        }
    }

    private String newTable(DynamoDbClient client, boolean jobwatch) {
        String name = (jobwatch ? "jobwatch-" : "seed-") + (tables++);
        if (jobwatch) {
            DynamoRunStore.createTable(client, name);
        } else {
            SeedTable.create(client, name);
        }
        return name;
    }

    private void ingestRate(DynamoDbClient client, Workload w) {
        log.printf("dynalite: ingest rate, %,d events × %d runs per design%n", w.events().size(), warmups + runs);
        double load = Measure.loadAverage();
        String[] table = new String[1];
        double[] jwMs = Measure.millis(warmups, runs, () -> table[0] = newTable(client, true), () -> {
            RunStore store = new DynamoRunStore(client, table[0], Clock.systemUTC(), RunStore.DEFAULT_RETENTION);
            for (RunEvent e : w.events()) {
                store.apply(e);
            }
        });
        double[] seedMs = Measure.millis(warmups, runs, () -> table[0] = newTable(client, false), () -> {
            SeedIngestBaseline seed = new SeedIngestBaseline(client, table[0], Clock.systemUTC());
            for (RunEvent e : w.events()) {
                seed.apply(e);
            }
        });
        int n = w.events().size();
        results.add(new Results.Figure("ingest.dynalite", "ingest against dynalite (1 thread, one event at a time)",
                n / (Measure.median(jwMs) / 1e3), n / (Measure.median(seedMs) / 1e3), "events/s", true, "",
                String.format("%d × %,d events; dynalite's speed (one Node process), not DynamoDB's; load %.1f",
                        runs, n, load)));
    }

    /** A clock the bench moves to each event's time (never backwards). */
    static final class FollowingClock extends Clock {
        private Instant now;

        FollowingClock(Instant start) {
            this.now = start;
        }

        void follow(Instant t) {
            if (t.isAfter(now)) {
                now = t;
            }
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /**
     * Applies the sample one event at a time as the ingest function does — the store's apply, then the incident
     * decision of a run it leaves finished ({@link IngestPipeline#leavesFinishedRunToJudge}) and the sending of the
     * decided actions (to a dry-run ServiceNow) — counting requests and units of each part apart: the store's per event
     * (and its invariants), the decisions' and the sending's beside them.
     */
    private void ingestCounts(DynamoDbClient client, String table, RunStore store, FollowingClock clock,
                              CapacityMeter meter, Workload w) throws IOException {
        io.jobwatch.store.dynamodb.DynamoIncidents incidents = new io.jobwatch.store.dynamodb.DynamoIncidents(client,
                table, clock, RunStore.DEFAULT_RETENTION);
        io.jobwatch.core.ingest.FinishedRuns judge = new io.jobwatch.core.ingest.FinishedRuns(this::catalog,
                new io.jobwatch.core.incident.IncidentTracker(new io.jobwatch.core.incident.IncidentPolicy(clock),
                        incidents, incidents, clock));
        Path dryRun = Files.createTempFile("jobwatch-bench-", ".jsonl");
        CountingGateway serviceNow = new CountingGateway(new io.jobwatch.servicenow.DryRunIncidentGateway(dryRun,
                io.jobwatch.servicenow.IncidentDefaults.defaults(), clock));
        io.jobwatch.core.incident.OutboxProcessor sender = new io.jobwatch.core.incident.OutboxProcessor(serviceNow,
                incidents, incidents, clock, io.jobwatch.core.incident.RetryBackoff.defaults());
        CapacityMeter.Usage decided = CapacityMeter.Usage.ZERO;
        CapacityMeter.Usage sent = CapacityMeter.Usage.ZERO;
        long judged = 0;
        long changed = 0;
        long actions = 0;
        double quietReads = 0;
        double quietWrites = 0;
        double changedReads = 0;
        double changedWrites = 0;
        meter.reset();
        long nonTerminal = 0;
        long nonTerminalBad = 0;
        String nonTerminalExample = "";
        long finishing = 0;
        long finishingBad = 0;
        String finishingExample = "";
        long plain = 0;
        long readsBad = 0;
        String readsExample = "";
        long crawler = 0;
        long duplicates = 0;
        double crawlerReads = 0;
        double duplicateReads = 0;
        long retried = 0;
        double retriedReads = 0;
        for (RunEvent e : w.events()) {
            clock.follow(e.eventTime().plusSeconds(2));
            CapacityMeter.Usage before = meter.usage();
            ApplyResult r = store.apply(e);
            CapacityMeter.Usage d = meter.usage().minus(before);
            if (IngestPipeline.leavesFinishedRunToJudge(r, e)) {
                CapacityMeter.Usage beforeDecision = meter.usage();
                io.jobwatch.core.incident.IncidentDecision decision = judge.judge(r.run(), e.eventId(), store);
                CapacityMeter.Usage dd = meter.usage().minus(beforeDecision);
                decided = decided.plus(dd);
                judged++;
                if (decision.record() != null) {
                    changed++;
                    changedReads += dd.reads();
                    changedWrites += dd.writes();
                } else {
                    quietReads += dd.reads();
                    quietWrites += dd.writes();
                }
                if (decision.action() != null) {
                    actions++;
                    CapacityMeter.Usage beforeSend = meter.usage();
                    sender.sendDue(List.of(decision.action().correlationId()), clock.instant().plusSeconds(60));
                    sent = sent.plus(meter.usage().minus(beforeSend));
                }
            }
            boolean isCrawler = RunFold.pairsByStart(e.job().source()); // Glue crawlers, DMS tasks
            boolean dup = r.outcome() == Outcome.DUPLICATE;
            if (isCrawler) {
                crawler++;
                crawlerReads += d.reads();
                continue;
            }
            if (dup) {
                duplicates++;
                duplicateReads += d.reads();
                continue;
            }
            if (e.terminal() && r.run() != null && r.run().attempt() > 1) {
                // An end of a run with more than one attempt (a redrive, a retry; rare) — the later attempt's, or an
                // earlier one's told after the later attempt began: the summary is read once, changed by core's rule
                // and written back conditionally (DynamoRequestBudgetTest states the budget).
                retried++;
                retriedReads += d.reads();
                continue;
            }
            plain++;
            boolean late = r.previousState() != null && r.previousState().terminal();
            // A late start that moves a finished run into a summary slot a newer run holds (rare): the blind move's
            // condition fails, then the summary is read once and core's rule written back conditionally.
            boolean movedIntoTakenSlot = late && d.count("GetItem") == 1 && d.reads() == 1
                    && d.failedConditions() == 1;
            if (d.reads() != 0 && !movedIntoTakenSlot) {
                readsBad++;
                readsExample = readsExample.isEmpty() ? e.eventId() + " " + d.requests() : readsExample;
            }
            if (!e.terminal() && !late) {
                nonTerminal++;
                if (d.count("UpdateItem") != 1 || d.total() != 1) {
                    nonTerminalBad++;
                    nonTerminalExample = nonTerminalExample.isEmpty() ? e.eventId() + " " + d.requests() : nonTerminalExample;
                }
            } else {
                finishing++;
                // 3 when the job's summary slot held a newer run: the slot write's condition fails and the counters
                // are written alone, or a late start's move is rewritten by core's rule (store-dynamodb's README:
                // two runs of a job in one hour on one ring, rare).
                boolean slotTaken = d.writes() == 3 && d.failedConditions() == 1;
                if (d.writes() > 2 && !slotTaken || d.writes() < 1) {
                    finishingBad++;
                    finishingExample = finishingExample.isEmpty() ? e.eventId() + " " + d.requests() : finishingExample;
                }
            }
        }
        results.invariants.add(new Results.Invariant(
                "exactly 1 UpdateItem (and nothing else) per non-terminal event of a run not yet finished (runs paired by start time — Glue crawlers, DMS tasks — and duplicates aside)",
                nonTerminal, nonTerminalBad, nonTerminalExample));
        results.invariants.add(new Results.Invariant(
                "1–2 writes per terminal or late event (run + job summary; 3 when a newer run holds the summary slot)", finishing, finishingBad, finishingExample));
        results.invariants.add(new Results.Invariant(
                "0 reads per event, except the pairing queries of Glue crawlers and DMS tasks, a retried run's end (its summary, once), a late start that moves a finished run into a summary slot a newer run holds (its summary, once) and dynalite's GetItem after a duplicate",
                plain, readsBad, readsExample));
        Files.deleteIfExists(dryRun);
        // The run store's part alone: the decisions and the sending are counted apart (below).
        CapacityMeter.Usage u = meter.usage().minus(decided).minus(sent);
        int n = w.events().size();
        decisionCounts(n, judged, changed, actions, decided, sent, serviceNow.calls(), quietReads, quietWrites,
                changedReads, changedWrites);
        results.counts.put("ingest.requestsPerEvent", (double) u.total() / n);
        results.counts.put("ingest.readsPerEvent", (double) u.reads() / n);
        results.counts.put("ingest.writesPerEvent", (double) u.writes() / n);
        results.counts.put("ingest.wruPerEvent", u.writeUnits() / n);
        results.counts.put("ingest.indexWruPerEvent", u.indexWriteUnits() / n);
        u.byIndex().forEach((index, units) -> results.counts.put("ingest.indexWruPerEvent." + index, units / n));
        results.counts.put("ingest.rruPerEvent", u.readUnits() / n);
        // On DynamoDB a failed condition returns the item (ALL_OLD): dynalite's GetItem after a duplicate is not sent.
        double dynamoReads = u.reads() - duplicateReads;
        results.counts.put("ingest.dynamoReadsPerEvent", dynamoReads / n);
        results.counts.put("ingest.dynamoRequestsPerEvent", (u.total() - duplicateReads) / n);
        results.counts.put("ingest.dynamoRruPerEvent", (u.readUnits() - duplicateReads) / n);
        results.notes.add(String.format("ingest sample: %,d events (%,d Glue crawler and DMS task events, %,d duplicates,"
                        + " %,d ends of retried runs); requests %s;"
                        + " %.0f write units of which %.0f on indexes (%s), %.1f read units, %d failed conditions",
                n, crawler, duplicates, retried, u.requests(), u.writeUnits(), u.indexWriteUnits(),
                perIndex(u.byIndex()), u.readUnits(), u.failedConditions()));
        results.counts.put("ingest.crawlerReadsPerEvent", crawlerReads / n);
        results.counts.put("ingest.retriedReadsPerEvent", retriedReads / n);
    }

    /** The ingest's index write units per event, by index, largest first. */
    private String indexShares() {
        String prefix = "ingest.indexWruPerEvent.";
        return results.counts.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .map(e -> String.format("%s %.3f", e.getKey().substring(prefix.length()), e.getValue()))
                .collect(Collectors.joining(", "));
    }

    /** Index write units by index, largest first: "openRuns 8,333, byTime 7,674". */
    static String perIndex(Map<String, Double> byIndex) {
        if (byIndex.isEmpty()) {
            return "none";
        }
        return byIndex.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .map(e -> String.format("%s %,.0f", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }

    /**
     * The incident decisions' and the sending's counts beside the run store's budget, per ingested event (what the
     * cost model prices) and per judged run / sent action (the notes).
     */
    private void decisionCounts(int n, long judged, long changed, long actions, CapacityMeter.Usage decided,
                                CapacityMeter.Usage sent, long serviceNowCalls, double quietReads, double quietWrites,
                                double changedReads, double changedWrites) {
        long quiet = judged - changed;
        results.counts.put("decision.judgedPerEvent", (double) judged / n);
        results.counts.put("decision.requestsPerEvent", (double) decided.total() / n);
        results.counts.put("decision.readsPerEvent", (double) decided.reads() / n);
        results.counts.put("decision.rruPerEvent", decided.readUnits() / n);
        results.counts.put("decision.wruPerEvent", decided.writeUnits() / n);
        results.counts.put("decision.actionsPerEvent", (double) actions / n);
        results.counts.put("send.requestsPerEvent", (double) sent.total() / n);
        results.counts.put("send.rruPerEvent", sent.readUnits() / n);
        results.counts.put("send.wruPerEvent", sent.writeUnits() / n);
        results.counts.put("send.serviceNowCallsPerAction", actions == 0 ? 0 : (double) serviceNowCalls / actions);
        results.counts.put("incidents.judgedRuns", (double) judged);
        results.notes.add(String.format("Incident decisions, beside that budget (the ingest function judges each event"
                        + " that leaves a finished run — %,d of %,d events, %.3f per event — and sends the decided actions"
                        + " at once): a run that changes nothing %.1f reads, %.1f writes (%,d runs); a run that changes"
                        + " the incident %.1f reads, %.1f conditional writes (%,d runs: the record with its action, the"
                        + " outbox entry, the relay); sending %.1f requests (%.1f writes) and %.1f ServiceNow calls per"
                        + " action (%,d actions). Per ingested event: decisions %.3f requests, %.3f RRU, %.3f WRU;"
                        + " sending %.3f requests, %.3f RRU, %.3f WRU", judged, n, (double) judged / n,
                quiet == 0 ? 0 : quietReads / quiet, quiet == 0 ? 0 : quietWrites / quiet, quiet,
                changed == 0 ? 0 : changedReads / changed, changed == 0 ? 0 : changedWrites / changed, changed,
                actions == 0 ? 0 : (double) sent.total() / actions, actions == 0 ? 0 : (double) sent.writes() / actions,
                actions == 0 ? 0 : (double) serviceNowCalls / actions, actions, (double) decided.total() / n,
                decided.readUnits() / n, decided.writeUnits() / n, (double) sent.total() / n, sent.readUnits() / n,
                sent.writeUnits() / n));
    }

    /** Counts the calls a gateway gets (ServiceNow requests per action, for the cost model's time). */
    static final class CountingGateway implements io.jobwatch.core.incident.IncidentGateway {
        private final io.jobwatch.core.incident.IncidentGateway delegate;
        private final AtomicLong calls = new AtomicLong();

        CountingGateway(io.jobwatch.core.incident.IncidentGateway delegate) {
            this.delegate = delegate;
        }

        long calls() {
            return calls.get();
        }

        @Override
        public java.util.Optional<io.jobwatch.core.incident.IncidentTicket> findOpen(String correlationId) {
            calls.incrementAndGet();
            return delegate.findOpen(correlationId);
        }

        @Override
        public java.util.Optional<io.jobwatch.core.incident.IncidentTicket> findLatest(String correlationId) {
            calls.incrementAndGet();
            return delegate.findLatest(correlationId);
        }

        @Override
        public io.jobwatch.core.incident.IncidentTicket create(io.jobwatch.core.incident.IncidentAction.Open open) {
            calls.incrementAndGet();
            return delegate.create(open);
        }

        @Override
        public io.jobwatch.core.incident.IncidentTicket update(String sysId, String workNote) {
            calls.incrementAndGet();
            return delegate.update(sysId, workNote);
        }

        @Override
        public io.jobwatch.core.incident.IncidentTicket resolve(String sysId,
                                                                io.jobwatch.core.incident.IncidentAction.Resolve r) {
            calls.incrementAndGet();
            return delegate.resolve(sysId, r);
        }

        @Override
        public io.jobwatch.core.incident.IncidentTicket reopen(String sysId,
                                                               io.jobwatch.core.incident.IncidentAction.Reopen r) {
            calls.incrementAndGet();
            return delegate.reopen(sysId, r);
        }
    }

    private void seedIngestCounts(SeedIngestBaseline seed, CapacityMeter meter, Workload w) {
        meter.reset();
        for (RunEvent e : w.events()) {
            seed.apply(e);
        }
        CapacityMeter.Usage u = meter.usage();
        int n = w.events().size();
        results.counts.put("seed.ingest.requestsPerEvent", (double) u.total() / n);
        results.counts.put("seed.ingest.readsPerEvent", (double) u.reads() / n);
        results.counts.put("seed.ingest.wruPerEvent", u.writeUnits() / n);
        results.counts.put("seed.ingest.rruPerEvent", u.readUnits() / n);
        String note = String.format("%,d events (the same); seed: %s", n, u.requests());
        results.add(new Results.Figure("ingest.requests", "DynamoDB requests per ingested event",
                results.count("ingest.dynamoRequestsPerEvent"), (double) u.total() / n, "req/event", false,
                "≤ 1.5", note + String.format("; Jobwatch on dynalite %.3f (+ GetItem after a duplicate, which"
                        + " DynamoDB does not need)", results.count("ingest.requestsPerEvent"))));
        results.add(new Results.Figure("ingest.reads", "DynamoDB reads per ingested event",
                results.count("ingest.dynamoReadsPerEvent"), (double) u.reads() / n, "reads/event", false,
                "0 on ingest", String.format("Jobwatch's are the pairing queries of Glue crawlers and DMS tasks (%.3f/event)"
                        + " and the summary reads of retried runs' ends (%.3f/event)",
                        results.count("ingest.crawlerReadsPerEvent"), results.count("ingest.retriedReadsPerEvent"))));
        results.add(new Results.Figure("ingest.wru", "write request units per ingested event",
                results.count("ingest.wruPerEvent"), u.writeUnits() / n, "WRU/event", false, "",
                String.format("Jobwatch incl. %.3f WRU/event on secondary indexes (%s; computed from each write's"
                        + " before and after images and the indexes' projections); the seed table has no index",
                        results.count("ingest.indexWruPerEvent"), indexShares())));
        results.add(new Results.Figure("ingest.rru", "read request units per ingested event",
                results.count("ingest.dynamoRruPerEvent"), u.readUnits() / n, "RRU/event", false, "",
                "seed: eventually consistent GetItem before every write"));
    }

    private void digest(DynamoDbClient client, CapacityMeter meter, RunStore store, String seedTable, Instant now) {
        Instant from = now.minus(DIGEST_WINDOW.multipliedBy(2));
        AtomicLong sink = new AtomicLong();
        double load = Measure.loadAverage();
        double[] jw = Measure.millis(warmups, runs, meter::reset, () -> digestReads(store, now, sink));
        CapacityMeter.Usage ju = meter.usage();
        double[] seed = Measure.millis(warmups, runs, meter::reset,
                () -> sink.addAndGet(SeedDigestBaseline.read(client, seedTable, from, now)));
        CapacityMeter.Usage su = meter.usage();
        results.counts.put("digest.rru", ju.readUnits());
        results.counts.put("digest.requests", (double) ju.total());
        results.counts.put("seed.digest.rru", su.readUnits());
        results.counts.put("seed.digest.requests", (double) su.total());
        results.add(new Results.Figure("digest.rru", "digest for all teams: read units per digest run", ju.readUnits(),
                su.readUnits(), "RRU", false, "≥ 10× fewer",
                String.format("Jobwatch: %s (DigestInputs: briefPerJob + runs of %s − 1 day … %s from the summaries,"
                                + " openRuns, runsOfJob where a summary does not reach back); seed: %s (Scan of the table)",
                        ju.requests(), from, now, su.requests())));
        results.add(new Results.Figure("digest.dynalite", "digest for all teams: reads on dynalite", Measure.median(jw),
                Measure.median(seed), "ms", false, "< 100 ms", String.format("%d runs; Jobwatch min %.0f max %.0f;"
                        + " seed min %.0f max %.0f; dynalite's speed; load %.1f", runs, Measure.min(jw),
                        Measure.max(jw), Measure.min(seed), Measure.max(seed), load)));
    }

    private void sla(CapacityMeter meter, RunStore store) {
        AtomicLong sink = new AtomicLong();
        double[] ms = Measure.millis(warmups, runs, meter::reset, () -> sink.addAndGet(slaReads(store)));
        CapacityMeter.Usage u = meter.usage();
        results.counts.put("sla.rru", u.readUnits());
        results.counts.put("sla.requests", (double) u.total());
        results.add(new Results.Figure("sla.dynalite", "SLA check for all jobs: reads on dynalite", Measure.median(ms),
                null, "ms", false, "", String.format("SlaCheck's reads (briefPerJob + openRuns): %s, %.1f RRU per check",
                        u.requests(), u.readUnits())));
    }

    private void export(DynamoDbClient client, CapacityMeter meter, RunStore store, String seedTable, Workload w) {
        ExportPlan plan = ExportPlan.days(w.first(), w.lastDay());
        Instant from = w.first().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = w.lastDay().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        long[] jwRows = new long[1];
        long[] jwBytes = new long[1];
        long[] jwRss = new long[1];
        double load = Measure.loadAverage();
        double[] jw = Measure.millis(warmups, runs, () -> {
            meter.reset();
            System.gc();
            Measure.resetPeakRss();
        }, () -> {
            ExportBench.CountingDestination dest = new ExportBench.CountingDestination();
            Manifest m = new WeeklyExporter(new StoreExportSource(store, null, null), dest, exportClock(w), 4).export(plan);
            jwRows[0] = m.rows();
            jwBytes[0] = dest.bytes.get();
            jwRss[0] = Math.max(jwRss[0], Measure.peakRss());
        });
        CapacityMeter.Usage ju = meter.usage();
        long[] seedRows = new long[1];
        long[] seedRss = new long[1];
        double[] seed = Measure.millis(warmups, runs, () -> {
            meter.reset();
            System.gc();
            Measure.resetPeakRss();
        }, () -> {
            seedRows[0] = SeedExportBaseline.export(client, seedTable, from, to, OutputStream.nullOutputStream());
            seedRss[0] = Math.max(seedRss[0], Measure.peakRss());
        });
        CapacityMeter.Usage su = meter.usage();
        int days = plan.days().size();
        results.counts.put("export.rruPerDay", ju.readUnits() / days);
        results.counts.put("export.requestsPerDay", (double) ju.total() / days);
        results.counts.put("export.gzipBytesPerRun", (double) jwBytes[0] / Math.max(1, jwRows[0]));
        results.counts.put("export.runsPerDay", (double) jwRows[0] / days);
        results.counts.put("seed.export.rru", su.readUnits());
        results.counts.put("seed.export.days", (double) days);
        results.add(new Results.Figure("export.dynalite", String.format("export of %d day(s) from the table (dynalite)",
                days), Measure.median(jw), Measure.median(seed), "ms", false, "≥ 4× faster",
                String.format("%d runs; Jobwatch %,d rows (4 threads, a Query per job and day), seed %,d rows (Scan into a list,"
                        + " one gzip); Jobwatch min %.0f max %.0f, seed min %.0f max %.0f; load %.1f", runs, jwRows[0],
                        seedRows[0], Measure.min(jw), Measure.max(jw), Measure.min(seed), Measure.max(seed), load)));
        results.add(new Results.Figure("export.rss", "export peak RSS (whole JVM, dynalite)", jwRss[0] >> 20,
                (double) (seedRss[0] >> 20), "MB", false, "bounded", "VmHWM reset before each run; includes the"
                        + " JVM's heap growth from earlier cases; the 1M-run bound is the export-1m case"));
        results.add(new Results.Figure("export.rru", String.format("export of %d day(s): read units", days),
                ju.readUnits(), su.readUnits(), "RRU", false, "", String.format("Jobwatch: %s; seed: %s", ju.requests(),
                        su.requests())));
    }

    /**
     * What the tables hold: per item its size as DynamoDB counts it + 100 bytes, and for each index the item is in
     * (by DescribeTable: key schema and projection) that index entry's projected size + 100 bytes.
     */
    private void storage(DynamoDbClient plain, String jwTable, String seedTable) {
        TableIndexes indexes = TableIndexes.describe(plain, jwTable);
        long[] jw = new long[4]; // run bytes, runs, other bytes, other items
        Map<String, Long> runsIn = new TreeMap<>();
        Map<String, Long> othersIn = new TreeMap<>();
        SeedTable.scan(plain, jwTable, item -> {
            boolean run = item.get("sk").s().startsWith("RUN#");
            long size = ItemSize.of(item) + TableIndexes.ENTRY_OVERHEAD;
            for (Map.Entry<String, Long> e : indexes.entryBytes(item).entrySet()) {
                size += e.getValue();
                (run ? runsIn : othersIn).merge(e.getKey(), 1L, Long::sum);
            }
            jw[run ? 0 : 2] += size;
            jw[run ? 1 : 3]++;
        });
        long[] seed = new long[2];
        SeedTable.scan(plain, seedTable, item -> {
            seed[0] += ItemSize.of(item) + TableIndexes.ENTRY_OVERHEAD;
            seed[1]++;
        });
        results.counts.put("storage.bytesPerRun", (double) jw[0] / Math.max(1, jw[1]));
        results.counts.put("storage.bytesPerSummary", (double) jw[2] / Math.max(1, jw[3]));
        results.counts.put("storage.runs", (double) jw[1]);
        results.counts.put("seed.storage.bytesPerRun", (double) seed[0] / Math.max(1, seed[1]));
        results.add(new Results.Figure("storage.run", "stored bytes per run (with index entries)",
                (double) jw[0] / Math.max(1, jw[1]), (double) seed[0] / Math.max(1, seed[1]), "B", false, "",
                String.format("Jobwatch: %,d runs in the table and in the indexes (%s: entries of the projected"
                                + " attributes, as DescribeTable says) + %,d other items of %,.0f B (summaries, incidents,"
                                + " …; in %s); seed: %,d runs, no index", jw[1], counts(runsIn), jw[3],
                        (double) jw[2] / Math.max(1, jw[3]), counts(othersIn), seed[1])));
    }

    private static String counts(Map<String, Long> byIndex) {
        return byIndex.isEmpty() ? "none" : byIndex.entrySet().stream()
                .map(e -> String.format("%s %,d", e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
