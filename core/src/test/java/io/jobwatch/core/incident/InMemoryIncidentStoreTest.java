package io.jobwatch.core.incident;

class InMemoryIncidentStoreTest extends IncidentStoreContract {
    @Override
    protected IncidentStore newStore() {
        return new InMemoryIncidentStore();
    }
}
