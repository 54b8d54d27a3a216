package io.jobwatch.core.normalize;

import com.fasterxml.jackson.core.JsonGenerator;
import io.jobwatch.core.run.RunEvent;
import java.io.IOException;
import java.time.Instant;

/**
 * The documented JSON form of a normalized event (the {@code normalize} contract): exactly these fields, in this
 * order: source, account, region, jobName, runId, state, sourceState, terminal, failed, eventId, eventTime,
 * startedAt, endedAt, error, attempt, warning. Times are ISO-8601 UTC; unknown values are null; attempt is a number
 * (1 for a run's first attempt, and for an event that names no attempt).
 */
public final class RunEventJson {
    private RunEventJson() {
    }

    public static void write(JsonGenerator g, RunEvent e) throws IOException {
        g.writeStartObject();
        writeFields(g, e.job().source().id(), e.job().account(), e.job().region(), e.job().jobName(), e.runId(),
                e.state().name(), e.sourceState(), e.terminal(), e.failed(), e.eventId(), e.eventTime(), e.startedAt(),
                e.endedAt(), e.error(), e.attemptOrFirst(), e.warning());
        g.writeEndObject();
    }

    /** The shared fields, also written (followed by more) for stored runs. */
    public static void writeFields(JsonGenerator g, String source, String account, String region, String jobName,
                                   String runId, String state, String sourceState, boolean terminal, boolean failed,
                                   String eventId, Instant eventTime, Instant startedAt, Instant endedAt, String error,
                                   int attempt, String warning)
            throws IOException {
        g.writeStringField("source", source);
        g.writeStringField("account", account);
        g.writeStringField("region", region);
        g.writeStringField("jobName", jobName);
        g.writeStringField("runId", runId);
        g.writeStringField("state", state);
        g.writeStringField("sourceState", sourceState);
        g.writeBooleanField("terminal", terminal);
        g.writeBooleanField("failed", failed);
        g.writeStringField("eventId", eventId);
        writeTime(g, "eventTime", eventTime);
        writeTime(g, "startedAt", startedAt);
        writeTime(g, "endedAt", endedAt);
        g.writeStringField("error", error);
        g.writeNumberField("attempt", attempt);
        g.writeStringField("warning", warning);
    }

    public static void writeTime(JsonGenerator g, String field, Instant t) throws IOException {
        if (t == null) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, t.toString());
        }
    }
}
