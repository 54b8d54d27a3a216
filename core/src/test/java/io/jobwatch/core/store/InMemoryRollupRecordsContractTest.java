package io.jobwatch.core.store;

/** The rollup records contract on the in-memory reference back end. */
class InMemoryRollupRecordsContractTest extends RollupRecordsContract {
    @Override
    protected RollupRecords createRecords() {
        return new InMemoryRollupRecords();
    }
}
