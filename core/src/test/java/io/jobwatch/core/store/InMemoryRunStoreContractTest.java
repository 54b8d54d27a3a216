package io.jobwatch.core.store;

import java.time.Clock;
import java.time.Duration;

/** The whole store contract through {@link RecordRunStore} over the in-memory reference back end. */
class InMemoryRunStoreContractTest extends RunStoreContract {
    @Override
    protected RunStore createStore(Clock clock, Duration retention) {
        return InMemoryRunRecords.store(clock, retention);
    }
}
