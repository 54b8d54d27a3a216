package io.jobwatch.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.ingest.EventInput;
import io.jobwatch.core.ingest.IngestPipeline;
import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.Text;
import io.jobwatch.core.store.ApplyResult;
import io.jobwatch.core.store.InvalidRunEventException;
import io.jobwatch.core.store.ParkedEvent;
import io.jobwatch.core.store.RunFold;
import io.jobwatch.core.store.RunStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The body of {@code POST /events} through the one ingest path: split (one event, an array, or JSON lines), normalize,
 * validate, then store and decide incidents with {@link IngestPipeline}. Every event gets an outcome; a bad one is
 * parked in the store with its reason, never dropped. Ingest batches are applied one at a time (SQLite has one
 * writer, and the incident tracker decides one transition of a job after the other); parsing runs in parallel.
 */
public final class EventsIngest {
    /** At most this many events in one request: more is refused whole (413), nothing parked or stored. */
    public static final int MAX_EVENTS_PER_REQUEST = 10_000;
    /** At most this many rejected events of one request are parked one by one; the rest share one parked row. */
    public static final int MAX_PARKED_PER_REQUEST = 100;

    /** A request with more than {@link #MAX_EVENTS_PER_REQUEST} events: refused before anything is stored. */
    public static final class TooManyEvents extends RuntimeException {
        TooManyEvents(String message) {
            super(message);
        }
    }

    /** What happened to one event of the body; {@code parked} tells whether a rejected one has its own parked row. */
    public record Outcome(int index, String outcome, String jobId, String runId, String error, boolean parked) {
        static Outcome applied(int index, ApplyResult r) {
            return new Outcome(index, r.outcome().name(), r.run().job().id(), r.run().runId(), null, false);
        }

        static Outcome ignored(int index, String reason) {
            return new Outcome(index, "IGNORED", null, null, reason, false);
        }

        static Outcome rejected(int index, String reason, boolean parked) {
            return new Outcome(index, null, null, null, reason, parked);
        }

        public boolean rejected() {
            return outcome == null;
        }
    }

    /**
     * All outcomes of one body, in input order, how many incident actions the finished runs produced, and the
     * incidents (correlation ids) they belong to — what is sent right after the request.
     */
    public record Batch(List<Outcome> results, long incidentActions, java.util.Set<String> incidents) {
        public long count(String outcome) {
            return results.stream().filter(r -> outcome.equals(r.outcome())).count();
        }

        public long rejected() {
            return results.stream().filter(Outcome::rejected).count();
        }

        /** Stored (created, advanced, duplicate, stale) or knowingly ignored: not an error. */
        public long accepted() {
            return results.size() - rejected();
        }
    }

    private final RunStore store;
    private final IngestPipeline pipeline;
    private final Metrics metrics;
    private final ObjectMapper mapper;
    private final EventInput input;
    private final EventNormalizer normalizer;
    private final ReentrantLock writer = new ReentrantLock();
    private final java.time.Clock clock;
    private final io.jobwatch.core.incident.AlertLatency alertLatency;

    /**
     * @param clock now, for the plausibility window on event times
     *              ({@link io.jobwatch.core.normalize.EventTimeWindow#DEFAULT})
     */
    public EventsIngest(RunStore store, IngestPipeline pipeline, Metrics metrics, ObjectMapper mapper, java.time.Clock clock) {
        this(store, pipeline, metrics, mapper, clock, new io.jobwatch.core.incident.AlertLatency(),
                io.jobwatch.core.source.IdentityOverride.NONE);
    }

    /**
     * @param alertLatency told when the events of each request's decisions arrived (the sender measures from it)
     * @param identity     the catalog's identity rules (a job's stable name, where a rule overrides its source's)
     */
    public EventsIngest(RunStore store, IngestPipeline pipeline, Metrics metrics, ObjectMapper mapper,
                        java.time.Clock clock, io.jobwatch.core.incident.AlertLatency alertLatency,
                        io.jobwatch.core.source.IdentityOverride identity) {
        this.clock = clock;
        this.alertLatency = java.util.Objects.requireNonNull(alertLatency, "alertLatency");
        this.store = store;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.mapper = mapper;
        this.input = new EventInput(mapper, EventInput.Limits.DEFAULT.withMaxEvents(MAX_EVENTS_PER_REQUEST));
        this.normalizer = new EventNormalizer(clock).withIdentity(identity);
    }

    /**
     * Limits, per event and per request: an event over 256 KB (EventBridge's limit) is rejected and parked like any
     * malformed event while the request's other events are stored; a request of more than
     * {@link #MAX_EVENTS_PER_REQUEST} events throws {@link TooManyEvents} before anything is stored or parked; at
     * most {@link #MAX_PARKED_PER_REQUEST} rejected events are parked one by one, the rest in one shared row (every
     * one still has its error in the outcome).
     */
    public Batch ingest(byte[] body, String source) {
        java.time.Instant arrived = clock.instant();
        List<EventInput.Item> items = input.readAll(body);
        if (input.tooMany(items)) {
            metrics.inc("jobwatch_events_too_many_total", 1);
            throw new TooManyEvents("more than " + MAX_EVENTS_PER_REQUEST + " events in one request: send at most "
                    + MAX_EVENTS_PER_REQUEST + " per request (nothing of this request was stored)");
        }
        Parking parking = new Parking(source);
        Outcome[] results = new Outcome[items.size()];
        List<RunEvent> events = new ArrayList<>(items.size());
        List<Integer> positions = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            EventInput.Item item = items.get(i);
            String where = "event " + item.index() + (item.line() > 0 ? " (line " + item.line() + ")" : "") + ": ";
            if (!item.ok()) {
                results[i] = parking.park(item.index(), () -> new String(body, StandardCharsets.UTF_8), where + item.error());
                continue;
            }
            Normalization n = normalizer.normalize(item.event());
            if (n instanceof Normalization.Normalized ok) {
                try {
                    RunFold.validate(ok.event());
                } catch (InvalidRunEventException invalid) {
                    results[i] = parking.park(item.index(), () -> raw(item), where + invalid.getMessage());
                    continue;
                }
                events.add(ok.event());
                positions.add(i);
            } else if (n instanceof Normalization.Unsupported u) {
                // Another rule's event sent to this destination: not Jobwatch's to judge, said so in the outcome.
                results[i] = Outcome.ignored(item.index(), u.message());
            } else if (n instanceof Normalization.Rejected r) {
                results[i] = parking.park(item.index(), () -> raw(item), where + r.message());
            }
        }
        parking.parkOverflow(body);
        long actions = 0;
        java.util.Set<String> incidents = java.util.Set.of();
        if (!events.isEmpty()) {
            IngestPipeline.Result r;
            writer.lock();
            try {
                r = pipeline.ingest(events);
            } finally {
                writer.unlock();
            }
            for (int k = 0; k < positions.size(); k++) {
                int i = positions.get(k);
                results[i] = Outcome.applied(items.get(i).index(), r.applied().get(k));
            }
            actions = r.actions();
            incidents = r.incidentsWithActions();
            alertLatency.arrived(r.decisions(), arrived);
        }
        List<Outcome> list = Arrays.asList(results);
        for (Outcome o : list) {
            metrics.inc("jobwatch_events_total{outcome=\"" + (o.rejected() ? "rejected" : o.outcome().toLowerCase(Locale.ROOT)) + "\"}", 1);
        }
        return new Batch(list, actions, incidents);
    }

    /**
     * Applies already normalized events (pings, OpenLineage events) through the same pipeline, one writer at a time
     * like the bodies of {@code POST /events}.
     */
    public IngestPipeline.Result write(List<RunEvent> events) {
        java.time.Instant arrived = clock.instant();
        IngestPipeline.Result r;
        writer.lock();
        try {
            r = pipeline.ingest(events);
        } finally {
            writer.unlock();
        }
        alertLatency.arrived(r.decisions(), arrived);
        return r;
    }

    /** Parks a request's rejected events, the first {@link #MAX_PARKED_PER_REQUEST} one by one. */
    private final class Parking {
        private final String source;
        private int parked;
        private int overflow;
        private int firstOverflow = -1;
        private int lastOverflow;

        Parking(String source) {
            this.source = source;
        }

        Outcome park(int index, java.util.function.Supplier<String> raw, String reason) {
            if (parked < MAX_PARKED_PER_REQUEST) {
                parked++;
                store.park(Text.truncateUtf8(raw.get(), ParkedEvent.MAX_RAW_BYTES), reason, source + ":" + index);
                return Outcome.rejected(index, reason, true);
            }
            overflow++;
            if (firstOverflow < 0) {
                firstOverflow = index;
            }
            lastOverflow = index;
            return Outcome.rejected(index, reason, false);
        }

        void parkOverflow(byte[] body) {
            if (overflow > 0) {
                store.park(Text.truncateUtf8(new String(body, StandardCharsets.UTF_8), ParkedEvent.MAX_RAW_BYTES),
                        overflow + " more rejected event(s) of this request (events " + firstOverflow + " to "
                                + lastOverflow + ") were not parked one by one: at most " + MAX_PARKED_PER_REQUEST
                                + " per request; each one's error was in the response", source + ":" + firstOverflow);
            }
        }
    }

    private String raw(EventInput.Item item) {
        try {
            return mapper.writeValueAsString(item.event());
        } catch (JsonProcessingException e) {
            return item.event().toString();
        }
    }
}
