package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.incident.GatewayException;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentChannels;
import io.jobwatch.core.run.JobKey;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Incidents to the teams' channels: the one place that maps a job to its team's channels (through the catalog and the
 * {@link ChannelRegistry}) and an outbox entry to a send. Every deployment wires one and hands it to both the
 * {@code IncidentTracker} (where actions go) and the {@code OutboxProcessor} (sending them).
 * <ul>
 * <li>A destination no longer in the catalog (the channel was removed or the job moved team before its actions were
 * sent) is refused, not retried: the entry is parked with the reason.</li>
 * <li>A variable the channel references that is not set is a passing failure: the entry stays and is tried again
 * with backoff, so setting the variable (or adding it to the channel secrets) delivers everything in order.</li>
 * <li>A channel's {@link DeliveryException} becomes the outbox's {@link GatewayException} with its status, Retry-After
 * and (masked) response.</li>
 * </ul>
 * Channels are opened once per catalog item and set of looked-up values, so a rotated secret is picked up.
 */
public final class ChannelRouter implements IncidentChannels {
    private final Supplier<Catalog> catalog;
    private final ChannelRegistry registry;
    private final ChannelContext context;
    private final Map<ChannelSpec, Opened> open = new ConcurrentHashMap<>();

    private record Opened(Map<String, String> values, Channel channel) {
    }

    /** @param catalog the current catalog, or a supplier of null (no catalog: no team has channels) */
    public ChannelRouter(Supplier<Catalog> catalog, ChannelRegistry registry, ChannelContext context) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.context = Objects.requireNonNull(context, "context");
    }

    public ChannelContext context() {
        return context;
    }

    @Override
    public List<String> destinations(JobKey job) {
        Catalog c = catalog.get();
        if (c == null) {
            return List.of();
        }
        Team team = c.resolve(job).team();
        return registry.incidentChannels(team).stream().map(ChannelRegistry.Destination::name).toList();
    }

    /** The catalog item behind a destination name, if the current catalog still has it. */
    public Optional<ChannelSpec> spec(String destination) {
        Catalog c = catalog.get();
        int slash = destination.indexOf('/');
        if (c == null || slash < 0) {
            return Optional.empty();
        }
        return c.team(destination.substring(0, slash)).flatMap(t -> registry.incidentChannels(t).stream()
                .filter(d -> d.name().equals(destination)).map(ChannelRegistry.Destination::spec).findFirst());
    }

    /**
     * How a destination may be shown (CLI, dashboard, logs): its type and where it delivers, secrets masked — e.g.
     * {@code slack hooks.slack.com (${SLACK_ERP_WEBHOOK})}; the name alone when the catalog no longer has it.
     */
    public String describe(String destination) {
        return spec(destination).map(s -> destination + " → " + s.type() + " " + target(s)).orElse(destination);
    }

    private String target(ChannelSpec spec) {
        try {
            return channel(spec).target();
        } catch (IllegalArgumentException e) {
            return "(" + context.settings(spec).mask(e.getMessage()) + ")";
        }
    }

    @Override
    public void send(String destination, IncidentAction action, String ticketNumber) {
        ChannelSpec spec = spec(destination).orElseThrow(() -> GatewayException.notApplicable("channel " + destination
                + " is no longer in the catalog (removed, or the job's team changed): nothing to send to"));
        Channel channel;
        try {
            channel = channel(spec);
        } catch (UnsetVariableException e) {
            throw GatewayException.unreachable(destination + ": " + e.getMessage(), null);
        } catch (IllegalArgumentException e) {
            throw GatewayException.notApplicable(destination + ": " + context.settings(spec).mask(e.getMessage()));
        }
        Catalog c = catalog.get();
        JobPolicy policy = c == null ? null : c.resolve(action.incident().job());
        try {
            channel.send(IncidentNotice.of(action, policy, ticketNumber));
        } catch (DeliveryException e) {
            throw GatewayException.failed(destination + ": " + e.getMessage(), e.status(), e.retryable(),
                    e.retryAfter().orElse(null), e.responseBody());
        }
    }

    private Channel channel(ChannelSpec spec) {
        Map<String, String> values = context.settings(spec).values();
        Opened o = open.get(spec);
        if (o == null || !o.values().equals(values)) {
            o = new Opened(values, registry.openOnce(spec, context));
            open.put(spec, o);
        }
        return o.channel();
    }
}
