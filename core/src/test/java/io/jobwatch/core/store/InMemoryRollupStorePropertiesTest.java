package io.jobwatch.core.store;

import java.time.Clock;
import java.time.Duration;

/** The rollup properties through the in-memory reference back end. */
class InMemoryRollupStorePropertiesTest extends RollupStoreProperties {
    @Override
    protected RunStore createStore(Clock clock, Duration retention) {
        return InMemoryRunRecords.store(clock, retention);
    }

    @Override
    protected int maxRuns() {
        return 80;
    }
}
