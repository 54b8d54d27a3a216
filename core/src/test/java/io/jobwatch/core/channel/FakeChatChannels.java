package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.ChannelSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A channel type {@code chat} for tests (shared via core's test-jar): takes incidents and digests, holds its URL as a
 * secret, records what each channel was sent (by its {@code url} as looked up) and fails on demand — the next sends
 * to a URL, or every send while it is "down". Not thread-safe beyond what the tests need (synchronized).
 */
public final class FakeChatChannels implements ChannelFactory {
    /** What one channel (by its looked-up URL) received, in order. */
    public final Map<String, List<Notice>> received = new LinkedHashMap<>();
    private final Map<String, Deque<DeliveryException>> failNext = new LinkedHashMap<>();
    private final Map<String, DeliveryException> down = new LinkedHashMap<>();
    /** Send attempts per URL, successful or not. */
    public final Map<String, Integer> attempts = new LinkedHashMap<>();

    @Override
    public String type() {
        return "chat";
    }

    @Override
    public Set<String> requiredSettings() {
        return Set.of("url");
    }

    @Override
    public Set<String> secretSettings() {
        return Set.of("url");
    }

    @Override
    public boolean takesIncidents() {
        return true;
    }

    /** The next send to {@code url} fails with {@code e}. */
    public synchronized void failNext(String url, DeliveryException e) {
        failNext.computeIfAbsent(url, k -> new ArrayDeque<>()).add(e);
    }

    /** Every send to {@code url} fails with {@code e} until {@link #up}. */
    public synchronized void down(String url, DeliveryException e) {
        down.put(url, e);
    }

    public synchronized void up(String url) {
        down.remove(url);
    }

    /** The incident notices {@code url} received. */
    public synchronized List<IncidentNotice> incidents(String url) {
        List<IncidentNotice> out = new ArrayList<>();
        for (Notice n : received.getOrDefault(url, List.of())) {
            if (n instanceof IncidentNotice i) {
                out.add(i);
            }
        }
        return out;
    }

    @Override
    public Channel open(ChannelSpec spec, ChannelContext context) {
        return open(context.settings(spec), context);
    }

    @Override
    public Channel open(ChannelSettings settings, ChannelContext context) {
        String url = settings.get("url");
        return new Channel() {
            @Override
            public String type() {
                return "chat";
            }

            @Override
            public String target() {
                return "chat " + settings.shown("url");
            }

            @Override
            public void send(Notice notice) throws DeliveryException {
                synchronized (FakeChatChannels.this) {
                    attempts.merge(url, 1, Integer::sum);
                    DeliveryException d = down.get(url);
                    if (d != null) {
                        throw d;
                    }
                    Deque<DeliveryException> q = failNext.get(url);
                    if (q != null && !q.isEmpty()) {
                        throw q.poll();
                    }
                    received.computeIfAbsent(url, k -> new ArrayList<>()).add(notice);
                }
            }
        };
    }
}
