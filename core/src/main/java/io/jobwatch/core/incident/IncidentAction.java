package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.Objects;

/**
 * One thing to do about an incident, decided by {@link IncidentPolicy} and delivered by the {@link OutboxProcessor} to
 * ServiceNow and to the team's channels. Each carries the text it will write, so a gateway only maps fields onto the
 * Table API, and its {@link Cause} for channels that show fields.
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

    /** What the run or breach behind the action looked like, for channels that show it as fields; null if unknown. */
    Cause cause();

    /**
     * The facts behind an action, kept apart from the texts so chat and paging channels can show them as fields.
     *
     * @param state  the run's terminal state ({@code FAILED}, {@code TIMED_OUT}, {@code SUCCEEDED}) when a run caused
     *               it, else the problem's headline ({@code MISSING}, {@code LATE}, {@code RUNNING TOO LONG}) or
     *               {@code RECOVERED} for an SLA that is met again
     * @param detail the run's error or the breach detail, at most {@link #MAX_DETAIL} characters, or null
     */
    record Cause(String state, String detail) {
        /** Enough of an error to recognise it in a chat message; the incident's description has all of it. */
        public static final int MAX_DETAIL = 500;

        public Cause {
            Objects.requireNonNull(state, "state");
            if (detail != null && detail.isBlank()) {
                detail = null;
            }
            if (detail != null && detail.length() > MAX_DETAIL) {
                int end = MAX_DETAIL - 1;
                if (Character.isHighSurrogate(detail.charAt(end - 1))) {
                    end--;
                }
                detail = detail.substring(0, end) + "…";
            }
        }

        /** The cause a health step carries: the run's state and error, or the breach and its detail. */
        static Cause of(Transition t) {
            if (t.runState() != null) {
                return new Cause(t.runState().name(), t.error());
            }
            return new Cause(t.failing() ? t.kind().headline() : RECOVERED, t.failing() ? t.error() : null);
        }

        /** The state of an SLA problem that is met again. */
        public static final String RECOVERED = "RECOVERED";
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
     * @param cause              the run or breach, for channels; null when not known (stored before it was kept)
     */
    record Open(IncidentRef incident, String runId, Instant at, String title, String description, int urgency,
                int impact, String assignmentGroup, String correlationDisplay, String consoleLink, String workNote,
                Cause cause)
            implements IncidentAction {
        public Open(IncidentRef incident, String runId, Instant at, String title, String description, int urgency,
                    int impact, String assignmentGroup, String correlationDisplay, String consoleLink, String workNote) {
            this(incident, runId, at, title, description, urgency, impact, assignmentGroup, correlationDisplay,
                    consoleLink, workNote, null);
        }

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
    record Update(IncidentRef incident, String runId, Instant at, String workNote, Cause cause)
            implements IncidentAction {
        public Update(IncidentRef incident, String runId, Instant at, String workNote) {
            this(incident, runId, at, workNote, null);
        }

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
    record Resolve(IncidentRef incident, String runId, Instant at, String closeNotes, String workNote, Cause cause)
            implements IncidentAction {
        public Resolve(IncidentRef incident, String runId, Instant at, String closeNotes, String workNote) {
            this(incident, runId, at, closeNotes, workNote, null);
        }

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
    record Reopen(IncidentRef incident, String runId, Instant at, String workNote, Cause cause)
            implements IncidentAction {
        public Reopen(IncidentRef incident, String runId, Instant at, String workNote) {
            this(incident, runId, at, workNote, null);
        }

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
