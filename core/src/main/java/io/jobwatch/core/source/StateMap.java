package io.jobwatch.core.source;

import io.jobwatch.core.run.RunState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One source's state names (its events' and its list API's, as the service documents them) mapped onto the run
 * model. Names match in any case. A name the map does not document counts as RUNNING: a service that adds a new
 * intermediate state must not break ingest (a new terminal state would show as a run that never ends, which the SLA
 * engine's max duration catches).
 */
public final class StateMap {
    private final Map<String, RunState> byName;
    private final Map<RunState, List<String>> byState;

    private StateMap(Map<String, RunState> byName, Map<RunState, List<String>> byState) {
        this.byName = byName;
        this.byState = byState;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The run state of a source state name (any case); undocumented names are RUNNING. */
    public RunState state(String sourceState) {
        RunState s = byName.get(key(sourceState));
        return s != null ? s : RunState.RUNNING;
    }

    /** Whether the name is one the service documents (any case). */
    public boolean documents(String sourceState) {
        return sourceState != null && byName.containsKey(key(sourceState));
    }

    /** Every documented name, as the service writes it, in declaration order. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        byState.values().forEach(out::addAll);
        return out;
    }

    /** The documented names per run state (states without names are absent). */
    public Map<RunState, List<String>> byState() {
        return byState;
    }

    private static String key(String s) {
        return s.trim().toUpperCase(Locale.ROOT);
    }

    /** Declares the names of each run state; a name may be declared once. */
    public static final class Builder {
        private final Map<String, RunState> byName = new LinkedHashMap<>();
        private final Map<RunState, List<String>> byState = new EnumMap<>(RunState.class);

        public Builder pending(String... names) {
            return add(RunState.PENDING, names);
        }

        public Builder running(String... names) {
            return add(RunState.RUNNING, names);
        }

        public Builder succeeded(String... names) {
            return add(RunState.SUCCEEDED, names);
        }

        public Builder failed(String... names) {
            return add(RunState.FAILED, names);
        }

        public Builder timedOut(String... names) {
            return add(RunState.TIMED_OUT, names);
        }

        public Builder stopped(String... names) {
            return add(RunState.STOPPED, names);
        }

        private Builder add(RunState state, String... names) {
            for (String n : names) {
                RunState before = byName.putIfAbsent(key(n), state);
                if (before != null) {
                    throw new IllegalArgumentException("state name '" + n + "' is declared twice (" + before + ", " + state + ")");
                }
                byState.computeIfAbsent(state, s -> new ArrayList<>()).add(n);
            }
            return this;
        }

        public StateMap build() {
            Map<RunState, List<String>> frozen = new EnumMap<>(RunState.class);
            byState.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
            return new StateMap(Map.copyOf(byName), Collections.unmodifiableMap(frozen));
        }
    }
}
