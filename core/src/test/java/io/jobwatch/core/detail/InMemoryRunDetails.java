package io.jobwatch.core.detail;

import io.jobwatch.core.run.RunKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@link RunDetails} in memory, for tests of what writes and reads them. */
public final class InMemoryRunDetails implements RunDetails {
    private record Kept(RunDetail detail, Instant expiresAt) {
    }

    private final Map<RunKey, Map<String, Kept>> byRun = new HashMap<>();

    @Override
    public synchronized void add(RunDetail detail, Instant expiresAt) {
        byRun.computeIfAbsent(detail.run(), k -> new LinkedHashMap<>()).putIfAbsent(detail.id(), new Kept(detail, expiresAt));
    }

    @Override
    public synchronized List<RunDetail> of(RunKey run, Instant now) {
        List<RunDetail> out = new ArrayList<>();
        for (Kept k : byRun.getOrDefault(run, Map.of()).values()) {
            if (now.isBefore(k.expiresAt())) {
                out.add(k.detail());
            }
        }
        out.sort(Comparator.comparing(RunDetail::at).thenComparing(RunDetail::id));
        return List.copyOf(out.subList(Math.max(0, out.size() - MAX_PER_RUN), out.size()));
    }
}
