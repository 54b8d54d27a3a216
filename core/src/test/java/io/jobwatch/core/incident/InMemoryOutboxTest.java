package io.jobwatch.core.incident;

class InMemoryOutboxTest extends OutboxContract {
    @Override
    protected Outbox newOutbox() {
        return new InMemoryOutbox();
    }
}
