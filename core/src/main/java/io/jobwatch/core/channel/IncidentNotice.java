package io.jobwatch.core.channel;

import io.jobwatch.core.catalog.Criticality;
import io.jobwatch.core.catalog.JobPolicy;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.ProblemKind;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.source.ConsoleLinks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An incident action as a team's channels show it: what happened to which job, in the words every chat, paging and
 * webhook channel uses (so the texts are written once, here), plus the facts as fields. Built by {@link #of} from the
 * action the outbox holds, the catalog's view of the job and the incident's number if ServiceNow has given one.
 *
 * @param action         {@code open}, {@code update}, {@code resolve} or {@code reopen}
 * @param job            the job
 * @param system         its system (ERP, FinData …) from the catalog, or null when the catalog names none
 * @param team           the owning team
 * @param criticality    how much it matters (the catalog's; NORMAL without a catalog)
 * @param problem        the problem kind (a failure, or an SLA breach)
 * @param state          the run's state or the problem ({@link IncidentAction.Cause#state()})
 * @param error          an excerpt of the run's error or the breach detail, or null
 * @param consoleLink    the AWS console page of the run (or of the job)
 * @param incidentNumber the ServiceNow number (INC…) once known, else null
 * @param correlationId  the incident's correlation id: the same for every action of one job problem
 * @param runId          the run, or null (a breach without a run)
 * @param at             when the run or breach happened
 * @param openedAt       when Jobwatch opened the incident
 * @param note           the action's own words (the work note; the close notes of a resolve)
 */
public record IncidentNotice(String action, JobKey job, String system, String team, Criticality criticality,
                             ProblemKind problem, String state, String error, String consoleLink, String incidentNumber,
                             String correlationId, String runId, Instant at, Instant openedAt, String note)
        implements Notice {

    public IncidentNotice {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(criticality, "criticality");
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(correlationId, "correlationId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(note, "note");
    }

    /**
     * @param policy         what the catalog says about the job, or null without a catalog
     * @param incidentNumber ServiceNow's number for the incident, or null
     */
    public static IncidentNotice of(IncidentAction a, JobPolicy policy, String incidentNumber) {
        JobKey job = a.incident().job();
        ProblemKind kind = a.incident().kind();
        IncidentAction.Cause cause = a.cause();
        String state = cause != null ? cause.state()
                : a instanceof IncidentAction.Resolve ? (kind == ProblemKind.FAILURE ? "SUCCEEDED" : IncidentAction.Cause.RECOVERED)
                : kind.headline();
        String link = a instanceof IncidentAction.Open o && o.consoleLink() != null ? o.consoleLink()
                : ConsoleLinks.forRun(job, a.runId());
        String note = a instanceof IncidentAction.Resolve r ? r.closeNotes() : a.workNote();
        String system = policy == null || policy.system().equals(job.account()) ? null : policy.system();
        return new IncidentNotice(a.type(), job, system, policy == null ? "unowned" : policy.team().name(),
                policy == null ? Criticality.NORMAL : policy.criticality(), kind, state,
                cause == null ? null : cause.detail(), link, incidentNumber, a.correlationId(), a.runId(), a.at(),
                a.incident().openedAt(), note);
    }

    /** Whether the incident is over (a resolve): channels say so and a pager resolves its alert. */
    public boolean resolved() {
        return action.equals("resolve");
    }

    /** The job as people name it: "Glue job orders-load". */
    public String jobLabel() {
        return job.source().label() + " " + job.jobName();
    }

    /** What is wrong, in capitals: FAILED, TIMED OUT, MISSING, LATE, RUNNING TOO LONG. */
    public String problemWords() {
        if (problem == ProblemKind.FAILURE) {
            return "TIMED_OUT".equals(state) ? "TIMED OUT" : "FAILED";
        }
        return problem.headline();
    }

    /** What the action does, as the message's first word(s). */
    public String verb() {
        return switch (action) {
            case "open" -> "Incident opened";
            case "update" -> problem == ProblemKind.FAILURE ? "Failed again" : problemWords().charAt(0)
                    + problemWords().substring(1).toLowerCase(java.util.Locale.ROOT) + " again";
            case "reopen" -> "Incident reopened";
            case "resolve" -> "Resolved";
            default -> action;
        };
    }

    /**
     * The one-line summary every channel leads with (Slack's fallback text, PagerDuty's summary, Teams' title):
     * {@code Incident opened: [ERP] Glue job orders-load FAILED} … {@code Resolved: [ERP] Glue job orders-load}.
     */
    public String summary() {
        String what = (system == null ? "" : "[" + system + "] ") + jobLabel();
        return verb() + ": " + what + (resolved() ? " is back to normal" : " " + problemWords())
                + (incidentNumber == null ? "" : " (" + incidentNumber + ")");
    }

    /** A label and a value, in the order channels show them. */
    public record Field(String label, String value) {
    }

    /**
     * The facts: Job, System, State, Run, Incident, Criticality, Account, Error — those that are known. The incident is
     * its number, or "not in ServiceNow yet" until it has one.
     */
    public List<Field> fields() {
        List<Field> out = new ArrayList<>();
        out.add(new Field("Job", jobLabel()));
        if (system != null) {
            out.add(new Field("System", system));
        }
        out.add(new Field("State", resolved() ? "RESOLVED (" + state + ")" : state.replace('_', ' ')));
        if (runId != null) {
            out.add(new Field("Run", runId));
        }
        out.add(new Field("Incident", incidentNumber != null ? incidentNumber : "not in ServiceNow yet"));
        out.add(new Field("Criticality", criticality.id()));
        out.add(new Field("Account", job.account() + " " + job.region()));
        if (error != null && !resolved()) {
            out.add(new Field(problem == ProblemKind.FAILURE ? "Error" : "Detail", error));
        }
        return out;
    }
}
