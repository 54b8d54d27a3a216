package io.jobwatch.core.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.ingest.EventInput;
import io.jobwatch.core.normalize.EventTimeWindow;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.MalformedEventException;
import io.jobwatch.core.source.Sources;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Reads the body of {@code POST /api/v1/lineage}: one OpenLineage RunEvent, a JSON array of them (a batch), or JSON
 * lines. Each event is validated against the pinned OpenLineage schema ({@link LineageSchema}) — the event itself and
 * the run facets Jobwatch reads ({@code errorMessage}, {@code parent}); every other facet (run, job or dataset) is
 * ignored, valid or not — then becomes a run event:
 * <ul>
 * <li>job {@code namespace/name} (source {@code openlineage}, no account or region), run {@code run.runId};</li>
 * <li>{@code eventType} START, RUNNING → RUNNING (START's time is the run's start); COMPLETE → SUCCEEDED, FAIL →
 * FAILED, ABORT → STOPPED (their time is the run's end); the error is the {@code errorMessage} facet's message (and
 * stack trace, bounded like every run error);</li>
 * <li>OTHER events, events without an {@code eventType}, and DatasetEvents and JobEvents (no run) are accepted and
 * ignored, with the reason.</li>
 * </ul>
 * The event id is {@code ol:<runId>:<eventType>:<eventTime>}, so a client's retry of the same event is a duplicate.
 * An invalid event is rejected with every violation, each naming the field, what is expected and how to fix it; the
 * other events of the body are unaffected.
 */
public final class LineageEvents {
    /** Events in one request at most; more is refused whole. */
    public static final int MAX_EVENTS = 1000;

    /** What became of one event of the body, in input order. */
    public sealed interface Item {
        int index();
    }

    /** Understood: the run event, and the parent run facet when the event has one. */
    public record Accepted(int index, RunEvent event, LineageParent parent) implements Item {
    }

    /** Valid OpenLineage, but nothing for the run model: why. */
    public record Ignored(int index, String reason) implements Item {
    }

    /** Invalid: every problem, each {@code field: what is wrong — how to fix}; {@code raw} is the event as sent (or null). */
    public record Rejected(int index, List<String> errors, JsonNode raw) implements Item {
        public String message() {
            return String.join("; ", errors);
        }
    }

    private final LineageSchema schema;
    private final Clock clock;
    private final EventTimeWindow window;
    private final EventInput input;

    public LineageEvents(LineageSchema schema, ObjectMapper mapper, Clock clock, int maxEventBytes) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.window = EventTimeWindow.DEFAULT;
        this.input = new EventInput(mapper, new EventInput.Limits(maxEventBytes, MAX_EVENTS));
    }

    /** True when the body had more than {@link #MAX_EVENTS} events (then nothing of it may be stored). */
    public boolean tooMany(List<Item> items) {
        return items.size() > MAX_EVENTS;
    }

    /** Every event of the body, in order; a JSON syntax error costs only what it must (see {@link EventInput}). */
    public List<Item> read(byte[] body) {
        List<Item> out = new ArrayList<>();
        for (EventInput.Item item : input.readAll(body)) {
            String where = item.line() > 0 ? " (line " + item.line() + ")" : "";
            if (!item.ok()) {
                out.add(new Rejected(item.index(), List.of(item.error() + where
                        + " — send one OpenLineage RunEvent as JSON, or a JSON array of them"), null));
            } else {
                out.add(read(item.index(), item.event()));
            }
        }
        return out;
    }

    /** One event, already parsed. */
    public Item read(int index, JsonNode event) {
        if (event == null || !event.isObject()) {
            return new Rejected(index, List.of("(event): expected a JSON object (an OpenLineage RunEvent), found "
                    + kind(event) + " — send the event as the OpenLineage client does"), event);
        }
        if (!event.has("run")) {
            return new Ignored(index, event.has("dataset") ? "a DatasetEvent: no run, nothing for the run model"
                    : "a JobEvent (no run): nothing for the run model");
        }
        List<String> errors = new ArrayList<>();
        // Facets are validated only where Jobwatch reads them: the copy without facets against RunEvent, then each
        // known run facet against its own schema.
        ObjectNode core = event.deepCopy();
        JsonNode runFacets = stripFacets(core);
        errors.addAll(schema.runEvent(core));
        if (runFacets != null && runFacets.isObject()) {
            for (String name : schema.knownRunFacets()) {
                JsonNode facet = runFacets.get(name);
                if (facet != null && !facet.isNull()) {
                    errors.addAll(schema.runFacet(name, facet));
                }
            }
        }
        if (!errors.isEmpty()) {
            return new Rejected(index, errors, event);
        }
        String type = event.path("eventType").asText("");
        if (type.isEmpty()) {
            return new Ignored(index, "no eventType: the run's state is not said (send START, RUNNING, COMPLETE, FAIL"
                    + " or ABORT)");
        }
        if (type.equals("OTHER")) {
            return new Ignored(index, "an OTHER event carries metadata, not a state of the run");
        }
        String rawTime = event.get("eventTime").asText();
        Instant time;
        try {
            time = OffsetDateTime.parse(rawTime).toInstant();
            window.check("eventTime", time, rawTime, clock.instant());
        } catch (DateTimeParseException e) {
            return new Rejected(index, List.of("eventTime: expected an RFC 3339 date-time with an offset, e.g."
                    + " 2026-03-02T01:00:00.000Z, found \"" + clip(rawTime) + "\""), event);
        } catch (MalformedEventException e) {
            return new Rejected(index, List.of(e.field() + ": expected " + e.expected() + ", found " + e.found()
                    + " — check the producer's clock"), event);
        }
        RunState state = Sources.of(JobSource.OPENLINEAGE).state(type);
        String runId = event.at("/run/runId").asText();
        JobKey job = new JobKey("", "", JobSource.OPENLINEAGE,
                event.at("/job/namespace").asText() + "/" + event.at("/job/name").asText());
        String error = null;
        if (state.terminal() && state != RunState.SUCCEEDED && runFacets != null) {
            error = errorOf(runFacets.get("errorMessage"));
        }
        RunEvent e = new RunEvent("ol:" + runId + ":" + type + ":" + rawTime, job, runId, state, type, time,
                type.equals("START") ? time : null, state.terminal() ? time : null, error);
        return new Accepted(index, e, parentOf(runFacets == null ? null : runFacets.get("parent")));
    }

    /** Removes every facet from the copy (run, job, datasets) and returns the run facets as sent. */
    private static JsonNode stripFacets(ObjectNode event) {
        JsonNode runFacets = null;
        if (event.get("run") instanceof ObjectNode run) {
            runFacets = run.remove("facets");
        }
        if (event.get("job") instanceof ObjectNode job) {
            job.remove("facets");
        }
        for (String side : List.of("inputs", "outputs")) {
            JsonNode datasets = event.get(side);
            if (datasets != null && datasets.isArray()) {
                for (JsonNode d : datasets) {
                    if (d instanceof ObjectNode o) {
                        o.remove("facets");
                        o.remove("inputFacets");
                        o.remove("outputFacets");
                    }
                }
            }
        }
        return runFacets;
    }

    private static String errorOf(JsonNode facet) {
        if (facet == null || !facet.isObject()) {
            return null;
        }
        String message = facet.path("message").asText("");
        String stack = facet.path("stackTrace").isTextual() ? facet.get("stackTrace").asText() : "";
        String text = (message + (stack.isBlank() ? "" : "\n" + stack)).strip();
        return text.isEmpty() ? null : text;
    }

    private static LineageParent parentOf(JsonNode facet) {
        if (facet == null || !facet.isObject()) {
            return null;
        }
        JsonNode root = facet.path("root");
        boolean hasRoot = root.isObject() && root.path("job").isObject() && root.path("run").isObject();
        return new LineageParent(facet.at("/job/namespace").asText() + "/" + facet.at("/job/name").asText(),
                facet.at("/run/runId").asText(),
                hasRoot ? root.at("/job/namespace").asText() + "/" + root.at("/job/name").asText() : null,
                hasRoot ? root.at("/run/runId").asText() : null);
    }

    private static String kind(JsonNode n) {
        if (n == null) {
            return "nothing";
        }
        if (n.isArray()) {
            return "an array inside the batch (nest no arrays)";
        }
        return "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " (" + clip(n.toString()) + ")";
    }

    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** For the response's summary: events of the items by kind. */
    public static long count(List<Item> items, Class<? extends Item> kind) {
        long n = 0;
        for (Iterator<Item> it = items.iterator(); it.hasNext(); ) {
            if (kind.isInstance(it.next())) {
                n++;
            }
        }
        return n;
    }
}
