package io.jobwatch.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.source.SimEvents;
import io.jobwatch.core.source.SimRun;
import io.jobwatch.core.source.EventBridgeSource;
import io.jobwatch.core.source.SourceDescriptor;
import io.jobwatch.core.source.Sources;
import io.jobwatch.sim.SimJob.Behaviour;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A deterministic simulated estate at the seed's volume: ~507 jobs of every registered source ({@link Sources}: each
 * says how many jobs it has and writes its runs' events in the shapes AWS documents) in three accounts (ERP, FinData,
 * Analytics), a few percent failures. The same options always give the same events. Events are delivered in time order with bounded memory (one day ahead), so a
 * week at 100× scale streams without holding it all.
 */
public final class Simulator {
    /** The simulated accounts: id → system. */
    public static final Map<String, String> ACCOUNTS = Map.of(
            "123456789012", "ERP",
            "234567890123", "FinData",
            "345678901234", "Analytics");
    private static final List<String> ACCOUNT_IDS = List.of("123456789012", "234567890123", "345678901234");
    private static final List<String> SYSTEMS = List.of("ERP", "FinData", "Analytics");
    private static final List<String> PREFIXES = List.of("erp", "fin", "analytics");
    private static final List<String> REGIONS = List.of("eu-west-1", "eu-west-1", "us-east-1");

    private static final String[] NOUNS = {"orders", "invoices", "customers", "suppliers", "ledger", "payments",
        "inventory", "shipments", "products", "prices", "sessions", "clicks", "campaigns", "budgets", "forecasts",
        "accounts", "contracts", "assets", "employees", "returns", "receivables", "payables", "journals", "costs"};
    private static final String[] VERBS = {"extract", "load", "transform", "refresh", "sync", "aggregate", "validate",
        "publish", "archive", "snapshot", "enrich", "dedupe"};

    private final SimOptions options;
    private final List<SimJob> jobs;

    public Simulator(SimOptions options) {
        this.options = options;
        this.jobs = Collections.unmodifiableList(buildJobs());
    }

    public SimOptions options() {
        return options;
    }

    /** Every job of the estate, including the scenario jobs (a job that never runs is listed but emits nothing). */
    public List<SimJob> jobs() {
        return jobs;
    }

    /** An event as delivered: when it reached the bus, and the EventBridge event itself. */
    public record Delivery(Instant deliveredAt, ObjectNode event) {
    }

    /** Simulates {@code days} whole UTC days from {@code firstDay}, delivering events in delivery-time order. */
    public void simulate(LocalDate firstDay, int days, Consumer<Delivery> sink) {
        Instant start = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = start.plus(Duration.ofDays(days));
        PriorityQueue<Delivery> queue = new PriorityQueue<>((a, b) -> a.deliveredAt().compareTo(b.deliveredAt()));
        long seq = 0;
        for (int d = 0; d < days; d++) {
            Instant dayStart = start.plus(Duration.ofDays(d));
            Instant dayEnd = dayStart.plus(Duration.ofDays(1));
            for (int j = 0; j < jobs.size(); j++) {
                SimJob job = jobs.get(j);
                // One random stream per job and calendar day: adding a job never changes another job's runs, and
                // every date has its own story.
                long epochDay = dayStart.getEpochSecond() / 86_400;
                SplittableRandom rnd = new SplittableRandom(options.seed() * 1_000_003L + j * 7_919L + epochDay * 104_729L);
                seq = runsOfDay(job, j, dayStart, dayEnd, end, rnd, queue, seq);
            }
            while (!queue.isEmpty() && queue.peek().deliveredAt().isBefore(dayEnd)) {
                sink.accept(queue.poll());
            }
        }
        while (!queue.isEmpty()) {
            Delivery next = queue.poll();
            if (next.deliveredAt().isBefore(end)) {
                sink.accept(next);
            }
        }
    }

    /** Convenience for tests and small runs: all events of the window, in delivery order. */
    public List<Delivery> simulate(LocalDate firstDay, int days) {
        List<Delivery> out = new ArrayList<>();
        simulate(firstDay, days, out::add);
        return out;
    }

    private long runsOfDay(SimJob job, int jobIndex, Instant dayStart, Instant dayEnd, Instant windowEnd,
                           SplittableRandom rnd, PriorityQueue<Delivery> queue, long seq) {
        if (job.behaviour() == Behaviour.NEVER_RUNS) {
            return seq;
        }
        Instant scheduled = dayStart.plusSeconds(job.firstStart().toSecondOfDay());
        int runOfDay = 0;
        while (scheduled.isBefore(dayEnd)) {
            long runNumber = (dayStart.getEpochSecond() / 86_400) * 1000 + runOfDay++;
            Instant startedAt = scheduled.plusSeconds(rnd.nextInt(5, 90));
            long typical = job.typical().toSeconds();
            long seconds = Math.max(5, (long) (typical * (0.8 + 0.4 * rnd.nextDouble())));
            boolean failed = switch (job.behaviour()) {
                case FLAPPING -> runNumber % 2 == 0;
                case BROKEN -> true;
                default -> rnd.nextDouble() < job.failureRate();
            };
            Instant endedAt = startedAt.plusSeconds(failed ? Math.max(5, seconds / 3) : seconds);
            boolean neverEnds = job.behaviour() == Behaviour.LONG_RUNNER
                    && !scheduled.plus(job.every()).isBefore(windowEnd);
            SimEvents out = new SimEvents(rnd);
            Sources.eventBridge(job.key().source()).simulate(new SimRun(job.key(), runNumber, startedAt, endedAt, failed, neverEnds, rnd), out);
            for (ObjectNode e : out.events()) {
                Instant at = Instant.parse(e.get("time").asText()).plusMillis(rnd.nextInt(200, 3000));
                if (rnd.nextDouble() < options.reorderRate()) {
                    at = at.plusSeconds(rnd.nextInt(30, 900));
                }
                queue.add(new Delivery(at, e));
                if (rnd.nextDouble() < options.duplicateRate()) {
                    queue.add(new Delivery(at.plusSeconds(rnd.nextInt(1, 600)), e.deepCopy()));
                }
                seq++;
            }
            scheduled = scheduled.plus(job.every());
        }
        return seq;
    }

    private List<SimJob> buildJobs() {
        SplittableRandom rnd = new SplittableRandom(options.seed());
        List<SimJob> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int n = 0;
        for (EventBridgeSource source : Sources.eventBridge()) {
            SourceDescriptor.SimProfile profile = source.simProfile();
            int count = profile.jobs() * Math.max(1, options.scale());
            for (int i = 0; i < count; i++, n++) {
                int sys = n % 3;
                String name = uniqueName(source, sys, rnd, names);
                // A few jobs run all day long (hourly AppFlow syncs, 4-hourly Glue loads): the source says which.
                Duration every = source.simEvery(i);
                LocalTime first = every.equals(Duration.ofDays(1))
                        ? LocalTime.of(nightHour(rnd), rnd.nextInt(12) * 5)
                        : LocalTime.of(0, rnd.nextInt(12) * 5);
                JobKey key = new JobKey(ACCOUNT_IDS.get(sys), REGIONS.get(sys), source.source(), name);
                Duration typical = Duration.ofSeconds(rnd.nextInt(profile.minSeconds(), profile.maxSeconds()));
                out.add(new SimJob(key, SYSTEMS.get(sys), first, every, typical, options.failureRate(), Behaviour.NORMAL));
            }
        }
        if (options.scenarios()) {
            addScenarios(out);
        }
        return out;
    }

    /** The demo's story: one flapping job, one broken overnight, one that never runs, one that runs far too long. */
    private void addScenarios(List<SimJob> out) {
        out.set(0, with(out.get(0), "fin-ledger-load", 1, Behaviour.FLAPPING, LocalTime.of(2, 0), Duration.ofHours(4)));
        out.set(1, with(out.get(1), "erp-orders-nightly-etl", 0, Behaviour.BROKEN, LocalTime.of(1, 0), Duration.ofHours(1)));
        out.set(2, with(out.get(2), "fin-close-reconciliation", 1, Behaviour.NEVER_RUNS, LocalTime.of(5, 30), Duration.ofDays(1)));
        out.set(3, with(out.get(3), "analytics-sessions-rebuild", 2, Behaviour.LONG_RUNNER, LocalTime.of(3, 0), Duration.ofDays(1)));
    }

    private static SimJob with(SimJob base, String name, int sys, Behaviour b, LocalTime first, Duration every) {
        JobKey key = new JobKey(ACCOUNT_IDS.get(sys), REGIONS.get(sys), base.key().source(), name);
        return new SimJob(key, SYSTEMS.get(sys), first, every, base.typical(), base.failureRate(), b);
    }

    private String uniqueName(EventBridgeSource source, int sys, SplittableRandom rnd, Set<String> names) {
        String name;
        do {
            name = source.simJobName(PREFIXES.get(sys), pick(rnd, NOUNS), pick(rnd, VERBS), rnd);
            if (names.contains(name)) {
                name = name + "-" + (names.size() % 97 + 2);
            }
        } while (!names.add(name));
        return name;
    }

    private static int nightHour(SplittableRandom rnd) {
        double r = rnd.nextDouble();
        return r < 0.7 ? rnd.nextInt(0, 7) : r < 0.9 ? rnd.nextInt(7, 18) : rnd.nextInt(18, 24);
    }

    static String pick(SplittableRandom rnd, String[] words) {
        return words[rnd.nextInt(words.length)];
    }
}
