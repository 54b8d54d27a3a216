package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.DeliveryLog;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.time.Sleeper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends a team's digest to the channels {@link ChannelRegistry#forDigest} picks, each retried, and records in the
 * {@link DeliveryLog} whether it went out (the team's next digest says when the previous one did not). The step every
 * deployment shares; each decides only which teams are due. Channels are opened once per spec and reused.
 */
public final class DigestSender {
    private final ChannelRegistry registry;
    private final ChannelContext context;
    private final Sleeper sleeper;
    private final DeliveryLog log;
    private final Map<ChannelSpec, Channel> open = new ConcurrentHashMap<>();

    /** @param log where outcomes are recorded, or null (nothing remembered) */
    public DigestSender(ChannelRegistry registry, ChannelContext context, Sleeper sleeper, DeliveryLog log) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.context = Objects.requireNonNull(context, "context");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.log = log;
    }

    /** How sending to one channel went. */
    public record Delivery(ChannelSpec spec, String target, DeliveryException failure) {
        public boolean delivered() {
            return failure == null;
        }
    }

    /**
     * How one team's digest went.
     *
     * @param team       the team
     * @param deliveries one per channel, in order; empty when no channel is configured for the team
     */
    public record Sent(String team, List<Delivery> deliveries) {
        public boolean noChannel() {
            return deliveries.isEmpty();
        }

        public boolean delivered() {
            return !deliveries.isEmpty() && deliveries.stream().allMatch(Delivery::delivered);
        }

        /** One line: where it went, or what failed where. */
        public String describe() {
            if (deliveries.isEmpty()) {
                return "no channel";
            }
            List<String> parts = new ArrayList<>();
            for (Delivery d : deliveries) {
                parts.add(d.spec().type() + " " + d.target() + ": " + (d.delivered() ? "sent" : d.failure().getMessage()));
            }
            return String.join("; ", parts);
        }
    }

    /** Whether the team's previous digest could not be delivered (from the log; false without one). */
    public boolean previousFailed(String team) {
        return log != null && log.previousFailed(team);
    }

    /**
     * Sends the digest to the team's channels and records the outcome: delivered only when every channel took it;
     * no channel counts as not delivered.
     *
     * @param from the catalog's sender address, if it names one
     */
    public Sent send(Team team, Digest digest, Optional<String> from) {
        DigestNotice notice = new DigestNotice(digest, team.recipients(), from);
        List<Delivery> deliveries = new ArrayList<>();
        for (ChannelSpec spec : registry.forDigest(team, context.env())) {
            deliveries.add(sendTo(spec, notice));
        }
        Sent sent = new Sent(team.name(), deliveries);
        if (log != null) {
            log.record(team.name(), digest.window().to(), !sent.delivered());
        }
        return sent;
    }

    /** Records an outcome found later (a delivery retried by a scheduler went out after all). */
    public void record(String team, java.time.Instant windowEnd, boolean failed) {
        if (log != null) {
            log.record(team, windowEnd, failed);
        }
    }

    /** Sends one notice to one channel (a retry of a failed delivery sends again to that channel only). */
    public Delivery sendTo(ChannelSpec spec, Notice notice) {
        Channel channel;
        try {
            channel = open.computeIfAbsent(spec, s -> registry.open(s, context, sleeper));
        } catch (IllegalArgumentException e) {
            return new Delivery(spec, spec.type(), new DeliveryException(spec.type(), false, e.getMessage(), e));
        }
        try {
            channel.send(notice);
            return new Delivery(spec, channel.target(), null);
        } catch (DeliveryException e) {
            return new Delivery(spec, channel.target(), e);
        }
    }
}
