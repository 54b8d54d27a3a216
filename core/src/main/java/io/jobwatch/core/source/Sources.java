package io.jobwatch.core.source;

import io.jobwatch.core.run.JobSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of job sources: one descriptor per {@link JobSource}, in the order help texts, the event pattern and
 * the simulator list them. The one place a source is registered. The EventBridge sources come first; the sources that
 * arrive over Jobwatch's own HTTP endpoints follow ({@link #http()}): they add nothing to the event pattern, the
 * reconcile listers, the member role's IAM actions, the priming samples or the simulated estate.
 */
public final class Sources {
    private static final List<EventBridgeSource> EVENT_BRIDGE = List.of(
            new GlueJob(), new GlueCrawler(), new StepFunctions(), new AppFlow(), new DataSync(), new Batch(),
            new EmrServerless(), new EcsTask(), new EmrStep(), new SageMakerPipeline(), new DmsTask(), new DataBrew());
    private static final List<HttpSource> HTTP = List.of(new Ping(), new OpenLineage());
    private static final List<SourceDescriptor> ALL = all(EVENT_BRIDGE, HTTP);
    private static final Map<JobSource, SourceDescriptor> BY_SOURCE = bySource();
    private static final Map<String, EventBridgeSource> BY_EVENT = byEvent();

    private Sources() {
    }

    private static List<SourceDescriptor> all(List<EventBridgeSource> events, List<HttpSource> http) {
        List<SourceDescriptor> out = new ArrayList<>(events);
        out.addAll(http);
        return List.copyOf(out);
    }

    /** Every source, in registration order (the EventBridge sources, then the HTTP ones). */
    public static List<SourceDescriptor> all() {
        return ALL;
    }

    /** The sources that arrive as EventBridge events, in registration order. */
    public static List<EventBridgeSource> eventBridge() {
        return EVENT_BRIDGE;
    }

    /** The sources that arrive over Jobwatch's own HTTP endpoints (pings, OpenLineage), in registration order. */
    public static List<HttpSource> http() {
        return HTTP;
    }

    public static SourceDescriptor of(JobSource source) {
        return BY_SOURCE.get(source);
    }

    /**
     * The EventBridge descriptor of {@code source}.
     *
     * @throws IllegalArgumentException when the source arrives over HTTP (it has no events, lister or console)
     */
    public static EventBridgeSource eventBridge(JobSource source) {
        if (BY_SOURCE.get(source) instanceof EventBridgeSource e) {
            return e;
        }
        throw new IllegalArgumentException("source " + source + " arrives over HTTP, not as EventBridge events");
    }

    /** The source following events of this envelope {@code source} and {@code detail-type}, if any. */
    public static Optional<EventBridgeSource> forEvent(String eventSource, String detailType) {
        return Optional.ofNullable(BY_EVENT.get(eventKey(eventSource, detailType)));
    }

    /** The envelope sources and their detail-types, in registration order: what an EventBridge rule must match. */
    public static Map<String, List<String>> detailTypesByEventSource() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (EventBridgeSource d : EVENT_BRIDGE) {
            out.computeIfAbsent(d.eventSource(), k -> new ArrayList<>()).addAll(d.detailTypes());
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return out;
    }

    /**
     * The EventBridge event pattern of the job events, as JSON-ready maps and lists: the envelope sources and their
     * detail-types; where a source narrows its events ({@link EventBridgeSource#eventFilter()}), a {@code $or} of one
     * branch for the unfiltered sources and one per filtered source.
     */
    public static Map<String, Object> eventPattern() {
        List<EventBridgeSource> filtered = EVENT_BRIDGE.stream().filter(d -> !d.eventFilter().isEmpty()).toList();
        List<EventBridgeSource> plain = EVENT_BRIDGE.stream().filter(d -> d.eventFilter().isEmpty()).toList();
        if (filtered.isEmpty()) {
            return branch(plain);
        }
        List<Object> any = new ArrayList<>();
        if (!plain.isEmpty()) {
            any.add(branch(plain));
        }
        for (EventBridgeSource d : filtered) {
            Map<String, Object> b = branch(List.of(d));
            b.putAll(d.eventFilter());
            any.add(b);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("$or", List.copyOf(any));
        return out;
    }

    private static Map<String, Object> branch(List<EventBridgeSource> sources) {
        List<String> eventSources = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (EventBridgeSource d : sources) {
            if (!eventSources.contains(d.eventSource())) {
                eventSources.add(d.eventSource());
            }
            types.addAll(d.detailTypes());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", List.copyOf(eventSources));
        out.put("detail-type", List.copyOf(types));
        return out;
    }

    /** The source ids, in registration order (e.g. for help texts and validation messages). */
    public static List<String> ids() {
        return ALL.stream().map(d -> d.source().id()).toList();
    }

    /**
     * Every EventBridge source's {@link EventBridgeSource#samples()} as {@code <id>/<file>} paths under examples/events,
     * in order.
     */
    public static List<String> samples() {
        return EVENT_BRIDGE.stream().flatMap(d -> d.samples().stream().map(f -> d.source().id() + "/" + f)).toList();
    }

    /** Every IAM action the reconcile listers call, each once, in registration order (HTTP sources have none). */
    public static List<String> reconcileActions() {
        return EVENT_BRIDGE.stream().flatMap(d -> d.reconcileActions().stream()).distinct().toList();
    }

    private static Map<JobSource, SourceDescriptor> bySource() {
        Map<JobSource, SourceDescriptor> m = new EnumMap<>(JobSource.class);
        for (SourceDescriptor d : ALL) {
            if (m.put(d.source(), d) != null) {
                throw new IllegalStateException("two descriptors for source " + d.source());
            }
        }
        for (JobSource s : JobSource.values()) {
            if (!m.containsKey(s)) {
                throw new IllegalStateException("source " + s + " has no descriptor in Sources");
            }
        }
        return m;
    }

    private static Map<String, EventBridgeSource> byEvent() {
        Map<String, EventBridgeSource> m = new HashMap<>();
        for (EventBridgeSource d : EVENT_BRIDGE) {
            for (String type : d.detailTypes()) {
                if (m.put(eventKey(d.eventSource(), type), d) != null) {
                    throw new IllegalStateException("two sources read " + d.eventSource() + " / " + type);
                }
            }
        }
        return m;
    }

    private static String eventKey(String eventSource, String detailType) {
        return eventSource + '\u0000' + detailType;
    }
}
