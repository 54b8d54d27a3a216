package io.jobwatch.core.sla;

import io.jobwatch.core.run.JobKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link BreachStore} in memory: for tests, the demo and one-shot CLI checks. Thread-safe. */
public final class InMemoryBreachStore implements BreachStore {
    private final Map<String, Breach> raised = new HashMap<>();

    @Override
    public synchronized List<Breach> active() {
        List<Breach> out = new ArrayList<>(raised.values());
        out.sort(SlaTracker.ORDER);
        return out;
    }

    @Override
    public synchronized void raise(Breach breach) {
        raised.put(breach.key(), breach);
    }

    @Override
    public synchronized void clear(JobKey job, BreachKind kind) {
        raised.remove(Breach.key(job, kind));
    }
}
