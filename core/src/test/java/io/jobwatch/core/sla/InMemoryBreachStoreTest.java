package io.jobwatch.core.sla;

class InMemoryBreachStoreTest extends BreachStoreContract {
    @Override
    protected BreachStore newStore() {
        return new InMemoryBreachStore();
    }
}
