package io.jobwatch.core.incident;

/**
 * The incident records and the outbox of one back end (they live together, beside the runs), closed together: what
 * the CLI, the server and the Lambda handlers open. Adapters implement it directly, so no wrapper can lose a method.
 */
public interface Incidents extends IncidentStore, Outbox, AutoCloseable {
    @Override
    void close();
}
