package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import java.util.List;

/**
 * Port: the channels beside the incident system that hear about a job's incidents — its team's Slack, Teams,
 * PagerDuty and webhooks. {@link IncidentTracker} asks where a decided action goes (one outbox entry per destination,
 * so each keeps its own order and retries); {@link OutboxProcessor} asks it to deliver one entry. Core's
 * {@code io.jobwatch.core.channel.ChannelRouter} implements it from the catalog and the channel registry.
 */
public interface IncidentChannels {

    /** Only the incident system: no channel hears about incidents here (tests, tools). */
    IncidentChannels NONE = new IncidentChannels() {
        @Override
        public List<String> destinations(JobKey job) {
            return List.of();
        }

        @Override
        public boolean sends() {
            return false;
        }

        @Override
        public void send(String destination, IncidentAction action, String ticketNumber) {
            throw new IllegalStateException("no channels here");
        }
    };

    /**
     * The destinations, besides the incident system, that actions about this job go to: e.g. {@code erp-ops/slack}
     * ({@link OutboxEntry#destination()}); empty when its team has none.
     */
    List<String> destinations(JobKey job);

    /**
     * Whether this deployment can send to channels. A sender that cannot (a tool wired for the incident system only)
     * leaves channel entries for one that can, rather than failing them.
     */
    default boolean sends() {
        return true;
    }

    /**
     * Sends one action to one destination, once (the outbox retries).
     *
     * @param ticketNumber the incident system's number for the incident (INC…), if it is known yet; else null
     * @throws GatewayException when it was not delivered: retryable (no response, 408, 429 with Retry-After, 5xx, a
     *                          variable not set yet) or not (a refused key, a revoked webhook, a channel no longer in
     *                          the catalog) — its message and body never hold a secret
     */
    void send(String destination, IncidentAction action, String ticketNumber);
}
