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
    /** What happened to one event of the body. */
    public record Outcome(int index, String outcome, String jobId, String runId, String error) {
        static Outcome applied(int index, ApplyResult r) {
            return new Outcome(index, r.outcome().name(), r.run().job().id(), r.run().runId(), null);
        }

        static Outcome ignored(int index, String reason) {
            return new Outcome(index, "IGNORED", null, null, reason);
        }

        static Outcome rejected(int index, String reason) {
            return new Outcome(index, null, null, null, reason);
        }

        public boolean rejected() {
            return outcome == null;
        }
    }

    /** All outcomes of one body, in input order, and how many incident actions the finished runs produced. */
    public record Batch(List<Outcome> results, long incidentActions) {
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
    private final EventNormalizer normalizer = new EventNormalizer();
    private final ReentrantLock writer = new ReentrantLock();

    public EventsIngest(RunStore store, IngestPipeline pipeline, Metrics metrics, ObjectMapper mapper) {
        this.store = store;
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.mapper = mapper;
        this.input = new EventInput(mapper);
    }

    public Batch ingest(byte[] body, String source) {
        List<EventInput.Item> items = input.readAll(body);
        Outcome[] results = new Outcome[items.size()];
        List<RunEvent> events = new ArrayList<>(items.size());
        List<Integer> positions = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            EventInput.Item item = items.get(i);
            String where = "event " + item.index() + (item.line() > 0 ? " (line " + item.line() + ")" : "") + ": ";
            if (!item.ok()) {
                results[i] = park(item.index(), new String(body, StandardCharsets.UTF_8), where + item.error(), source);
                continue;
            }
            Normalization n = normalizer.normalize(item.event());
            if (n instanceof Normalization.Normalized ok) {
                try {
                    RunFold.validate(ok.event());
                } catch (InvalidRunEventException invalid) {
                    results[i] = park(item.index(), raw(item), where + invalid.getMessage(), source);
                    continue;
                }
                events.add(ok.event());
                positions.add(i);
            } else if (n instanceof Normalization.Unsupported u) {
                // Another rule's event sent to this destination: not Jobwatch's to judge, said so in the outcome.
                results[i] = Outcome.ignored(item.index(), u.message());
            } else if (n instanceof Normalization.Rejected r) {
                results[i] = park(item.index(), raw(item), where + r.message(), source);
            }
        }
        long actions = 0;
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
        }
        List<Outcome> list = Arrays.asList(results);
        for (Outcome o : list) {
            metrics.inc("jobwatch_events_total{outcome=\"" + (o.rejected() ? "rejected" : o.outcome().toLowerCase(Locale.ROOT)) + "\"}", 1);
        }
        return new Batch(list, actions);
    }

    private Outcome park(int index, String raw, String reason, String source) {
        store.park(Text.truncateUtf8(raw, ParkedEvent.MAX_RAW_BYTES), reason, source + ":" + index);
        return Outcome.rejected(index, reason);
    }

    private String raw(EventInput.Item item) {
        try {
            return mapper.writeValueAsString(item.event());
        } catch (JsonProcessingException e) {
            return item.event().toString();
        }
    }
}
