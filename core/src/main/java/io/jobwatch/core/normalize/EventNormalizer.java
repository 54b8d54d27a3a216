package io.jobwatch.core.normalize;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.Envelope;
import io.jobwatch.core.source.Fields;
import io.jobwatch.core.source.MalformedEventException;
import io.jobwatch.core.source.Parsed;
import io.jobwatch.core.source.EventBridgeSource;
import io.jobwatch.core.source.StableName;
import io.jobwatch.core.source.Sources;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one EventBridge event (parsed JSON) into a {@link RunEvent}. Finds the source by the envelope's
 * {@code source} + {@code detail-type} in {@link Sources}; never throws for bad input: the answer is always one of the
 * three {@link Normalization} cases. Thread-safe and stateless.
 *
 * <p>Entry points (CLI files, HTTP, Lambda) build it with their clock, which also rejects envelope times outside an
 * {@link EventTimeWindow}; the no-argument form checks the shape only (simulations, benchmarks, tests).
 */
public final class EventNormalizer {
    private final Clock clock;
    private final EventTimeWindow window;
    private final io.jobwatch.core.source.IdentityOverride identity;

    /** Shape checks only: any envelope time is accepted. */
    public EventNormalizer() {
        this(null, null);
    }

    /** Also rejects envelope times outside {@link EventTimeWindow#DEFAULT} around {@code clock}'s now. */
    public EventNormalizer(Clock clock) {
        this(java.util.Objects.requireNonNull(clock, "clock"), EventTimeWindow.DEFAULT);
    }

    /** Also rejects envelope times outside {@code window} around {@code clock}'s now (both null: no window). */
    public EventNormalizer(Clock clock, EventTimeWindow window) {
        this(clock, window, io.jobwatch.core.source.IdentityOverride.NONE);
    }

    private EventNormalizer(Clock clock, EventTimeWindow window, io.jobwatch.core.source.IdentityOverride identity) {
        if ((clock == null) != (window == null)) {
            throw new IllegalArgumentException("a time window needs a clock, and a clock a window");
        }
        this.clock = clock;
        this.window = window;
        this.identity = java.util.Objects.requireNonNull(identity, "identity");
    }

    /** The same normalizer, with job identities the catalog overrides (its {@code identity} rules). */
    public EventNormalizer withIdentity(io.jobwatch.core.source.IdentityOverride override) {
        return new EventNormalizer(clock, window, override);
    }

    /** A job's stable name as this normalizer gives it: the source's rule, unless the catalog overrides it. */
    public StableName stableName(JobKey raw) {
        StableName bySource = Sources.of(raw.source()).stableName(raw.jobName());
        return identity.override(raw, bySource).orElse(bySource);
    }

    /** The (source, detail-type) pairs Jobwatch follows, e.g. for EventBridge rule patterns. */
    public static Map<String, List<String>> supportedDetailTypes() {
        return Sources.detailTypesByEventSource();
    }

    public Normalization normalize(JsonNode event) {
        try {
            return read(event);
        } catch (MalformedEventException e) {
            return new Normalization.Rejected(e.field(), e.expected(), e.found());
        }
    }

    private Normalization read(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("(event)", "a JSON object (an EventBridge event)",
                    root == null ? "nothing" : Fields.describe(root));
        }
        String source = Fields.text(root, "", "source");
        String detailType = Fields.text(root, "", "detail-type");
        Optional<EventBridgeSource> found = Sources.forEvent(source, detailType);
        if (found.isEmpty()) {
            return new Normalization.Unsupported(source, detailType);
        }
        EventBridgeSource reader = found.get();
        String id = Fields.text(root, "", "id");
        String rawTime = Fields.text(root, "", "time");
        Instant time = Fields.parseIso(rawTime, "time");
        if (window != null) {
            window.check("time", time, rawTime, clock.instant());
        }
        String account = Envelope.requireAccount(root);
        String region = Envelope.requireRegion(root);
        JsonNode detail = Fields.object(root, "", "detail");
        Envelope env = new Envelope(id, source, detailType, account, region, time, rawTime, root.get("resources"), detail);

        Parsed p = reader.read(env);
        if (p.ignored() != null) {
            return new Normalization.Unsupported(source, detailType, p.ignored());
        }
        RunState state = p.state() != null ? p.state() : reader.state(p.sourceState());
        // Services also write informational messages ("Job run succeeded"); only a run that did not succeed has an
        // error, and only one that succeeded a warning (a partial failure).
        String error = state.terminal() && state != RunState.SUCCEEDED ? p.error() : null;
        String warning = state == RunState.SUCCEEDED ? p.warning() : null;
        StableName name = stableName(new JobKey(account, region, reader.source(), p.jobName()));
        JobKey job = new JobKey(account, region, reader.source(), name.name());
        return new Normalization.Normalized(new RunEvent(id, job, p.runId(), state, p.sourceState(), time,
                p.startedAt(), p.endedAt(), error, p.attempt(), warning, name.raw(), p.notifyDelay()));
    }
}
