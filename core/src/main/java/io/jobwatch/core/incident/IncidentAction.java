package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing to do in ServiceNow, decided by {@link IncidentPolicy} and delivered by the {@link OutboxProcessor}.
 * Each carries the text it will write, so a gateway only maps fields onto the Table API.
 */
public sealed interface IncidentAction
        permits IncidentAction.Open, IncidentAction.Update, IncidentAction.Resolve, IncidentAction.Reopen {

    /** Upper bound of ServiceNow's short_description (160 characters). */
    int MAX_TITLE_LENGTH = 160;

    IncidentRef incident();

    /** The run that caused it, or null. */
    String runId();

    /** When the underlying run/breach happened. */
    Instant at();

    /** The work note (internal journal entry) written with the action. */
    String workNote();

    /** "open", "update", "resolve" or "reopen": the stored form and what listings show. */
    String type();

    default String correlationId() {
        return incident().correlationId();
    }

    /**
     * Open a new incident (POST).
     *
     * @param title              short_description, at most {@link #MAX_TITLE_LENGTH} characters
     * @param description        run details, error and console link
     * @param urgency            1 (high) … 3 (low)
     * @param impact             1 (high) … 3 (low)
     * @param assignmentGroup    or null
     * @param correlationDisplay the monitor's label, e.g. "Jobwatch"
     * @param consoleLink        AWS console page of the run
     */
    record Open(IncidentRef incident, String runId, Instant at, String title, String description, int urgency,
                int impact, String assignmentGroup, String correlationDisplay, String consoleLink, String workNote)
            implements IncidentAction {
        public Open {
            Objects.requireNonNull(incident, "incident");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(correlationDisplay, "correlationDisplay");
            Objects.requireNonNull(workNote, "workNote");
            if (title.length() > MAX_TITLE_LENGTH) {
                throw new IllegalArgumentException("title longer than " + MAX_TITLE_LENGTH + " characters");
            }
        }

        @Override
        public String type() {
            return "open";
        }
    }

    /** Add a work note to the open incident (PATCH work_notes). */
    record Update(IncidentRef incident, String runId, Instant at, String workNote) implements IncidentAction {
        public Update {
            Objects.requireNonNull(incident, "incident");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(workNote, "workNote");
        }

        @Override
        public String type() {
            return "update";
        }
    }

    /** Resolve (PATCH state 6 with close_code and close_notes; the close code is an instance setting). */
    record Resolve(IncidentRef incident, String runId, Instant at, String closeNotes, String workNote)
            implements IncidentAction {
        public Resolve {
            Objects.requireNonNull(incident, "incident");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(closeNotes, "closeNotes");
            Objects.requireNonNull(workNote, "workNote");
        }

        @Override
        public String type() {
            return "resolve";
        }
    }

    /** Reopen the resolved incident after a flap (PATCH state 2 with a work note). */
    record Reopen(IncidentRef incident, String runId, Instant at, String workNote) implements IncidentAction {
        public Reopen {
            Objects.requireNonNull(incident, "incident");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(workNote, "workNote");
        }

        @Override
        public String type() {
            return "reopen";
        }
    }
}
