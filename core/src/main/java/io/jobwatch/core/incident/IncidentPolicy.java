package io.jobwatch.core.incident;

import io.jobwatch.core.incident.IncidentRecord.State;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.ConsoleLinks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides what a job's health transition means for its incident, the way a good on-call engineer would:
 * <ul>
 *   <li><b>open</b> on a failure when incidents are on, the job is critical enough, it is not in a maintenance window
 *   and its threshold is met (N consecutive failures, or a failure rate over the last M runs);</li>
 *   <li><b>update</b> (work note) on every further failure while the incident is open;</li>
 *   <li><b>resolve</b> after the configured number of successes in a row;</li>
 *   <li><b>reopen</b> the resolved incident when the job fails again within the flap damping window of recovering;</li>
 *   <li><b>no-op</b> otherwise, with the reason.</li>
 * </ul>
 * Pure: no I/O; the injected clock only stamps the record. Thresholds and the successes-to-resolve count apply to
 * {@link ProblemKind#FAILURE}; SLA kinds open on the first breach and resolve on the first recovery.
 * Resolving is never suppressed (incidents off, maintenance): closing a ticket is never noise.
 */
public final class IncidentPolicy {
    /** correlation_display of incidents Jobwatch opens. */
    public static final String CORRELATION_DISPLAY = "Jobwatch";

    private final Clock clock;

    public IncidentPolicy(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param transition    the job's health step (see {@link Transition#ofRun})
     * @param rules         the job's incident settings ({@link IncidentRules#defaults()} without a catalog)
     * @param history       the job's recent terminal runs including this one ({@link JobHistory#unknown()} if not known)
     * @param current       the job's incident record for this problem kind, if any (from the IncidentStore)
     * @param inMaintenance true when the job is in a maintenance window at the transition's time
     */
    public IncidentDecision decide(Transition transition, IncidentRules rules, JobHistory history,
                                   Optional<IncidentRecord> current, boolean inMaintenance) {
        Objects.requireNonNull(transition, "transition");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(history, "history");
        IncidentRecord rec = current.orElse(null);
        if (rec != null && (!rec.job().equals(transition.job()) || rec.kind() != transition.kind())) {
            throw new IllegalArgumentException("incident record of " + rec.job() + "/" + rec.kind()
                    + " given for a transition of " + transition.job() + "/" + transition.kind());
        }
        if (transition.runState() == RunState.STOPPED) {
            return IncidentDecision.noOp(null, "run stopped on purpose: no change");
        }
        if (rec != null && transition.runId() != null && transition.runId().equals(rec.lastRunId())) {
            return IncidentDecision.noOp(null, "run " + transition.runId() + " was already decided");
        }
        Instant now = clock.instant();
        return transition.failing()
                ? onFailure(transition, rules, history, rec, inMaintenance, now)
                : onRecovery(transition, rules, rec, now);
    }

    private IncidentDecision onFailure(Transition t, IncidentRules rules, JobHistory history, IncidentRecord rec,
                                       boolean inMaintenance, Instant now) {
        if (rec != null && rec.open()) {
            boolean flipped = rec.consecutiveSuccesses() > 0; // it had recovered, not yet resolved
            IncidentRecord next = new IncidentRecord(rec.job(), rec.kind(), rec.correlationId(), rec.sysId(),
                    rec.number(), State.OPEN, rec.openedAt(), now, null, rec.consecutiveFailures() + 1, 0,
                    flipped ? t.at() : rec.lastFlipAt(), t.runId());
            if (!rules.enabled()) {
                return IncidentDecision.noOp(next, "incidents are off for this job: no work note");
            }
            if (inMaintenance) {
                return IncidentDecision.noOp(next, "in a maintenance window: no work note");
            }
            return IncidentDecision.act(new IncidentAction.Update(IncidentRef.of(next), t.runId(), t.at(),
                            againNote(t, next.consecutiveFailures())), next,
                    "failed again while the incident is open (" + next.consecutiveFailures() + " in a row)");
        }
        if (!rules.enabled()) {
            return IncidentDecision.noOp(null, "incidents are off for this job");
        }
        if (!rules.criticality().atLeast(rules.minimumCriticality())) {
            return IncidentDecision.noOp(null, "criticality " + rules.criticality()
                    + " is below the incident threshold " + rules.minimumCriticality());
        }
        if (inMaintenance) {
            return IncidentDecision.noOp(null, "in a maintenance window");
        }
        int failuresInRow = Math.max(history.consecutiveFailures(), 1);
        if (rec != null && withinDampingWindow(rec, rules.flapDampingWindow(), t.at())) {
            IncidentRecord next = new IncidentRecord(rec.job(), rec.kind(), rec.correlationId(), rec.sysId(),
                    rec.number(), State.OPEN, rec.openedAt(), now, null, failuresInRow, 0, t.at(), t.runId());
            return IncidentDecision.act(new IncidentAction.Reopen(IncidentRef.of(next), t.runId(), t.at(),
                            reopenNote(t, rec, rules.flapDampingWindow())), next,
                    "failed again within the flap damping window: reopen " + describe(rec));
        }
        String threshold;
        if (t.kind() != ProblemKind.FAILURE) {
            threshold = "SLA breach";
        } else if (rules.failureRate() != null) {
            IncidentRules.FailureRate rate = rules.failureRate();
            int[] fc = history.failuresAmongLast(rate.lastRuns());
            int failed = fc[1] == 0 ? 1 : fc[0];
            // "X% of the last M runs" means M runs: runs not seen yet count as not failed, so a new job's first
            // failure is 1 of M, not 1 of 1 (else every young flaky job would page at once).
            int counted = rate.lastRuns();
            threshold = failed + " of the last " + counted + " runs failed (over " + rate.percent() + "%)";
            if (failed * 100L <= (long) rate.percent() * counted) {
                return IncidentDecision.noOp(null, failed + " of the last " + counted
                        + " runs failed: not over the " + rate.percent() + "% threshold");
            }
        } else {
            int needed = rules.openAfterConsecutiveFailures();
            threshold = failuresInRow + " consecutive failure" + (failuresInRow == 1 ? "" : "s");
            if (failuresInRow < needed) {
                return IncidentDecision.noOp(null, failuresInRow + " of " + needed
                        + " consecutive failures needed to open an incident");
            }
        }
        String correlationId = CorrelationIds.of(t.job(), t.kind());
        IncidentRecord next = new IncidentRecord(t.job(), t.kind(), correlationId, null, null, State.OPEN, now, now,
                null, failuresInRow, 0, t.at(), t.runId());
        String link = ConsoleLinks.forRun(t.job(), t.runId());
        IncidentAction.Open open = new IncidentAction.Open(IncidentRef.of(next), t.runId(), t.at(),
                title(t, rules), description(t, rules, link, threshold), rules.effectiveUrgency(),
                rules.effectiveImpact(), rules.assignmentGroup(), CORRELATION_DISPLAY, link, openNote(t));
        return IncidentDecision.act(open, next, "open: " + threshold);
    }

    private IncidentDecision onRecovery(Transition t, IncidentRules rules, IncidentRecord rec, Instant now) {
        if (rec == null || !rec.open()) {
            return IncidentDecision.noOp(null, "healthy and no open incident");
        }
        int successes = rec.consecutiveSuccesses() + 1;
        boolean flipped = rec.consecutiveSuccesses() == 0;
        Instant flipAt = flipped ? t.at() : rec.lastFlipAt();
        int needed = t.kind() == ProblemKind.FAILURE ? rules.resolveAfterConsecutiveSuccesses() : 1;
        if (successes < needed) {
            IncidentRecord next = new IncidentRecord(rec.job(), rec.kind(), rec.correlationId(), rec.sysId(),
                    rec.number(), State.OPEN, rec.openedAt(), now, null, 0, successes, flipAt, t.runId());
            return IncidentDecision.noOp(next, successes + " of " + needed + " successful runs needed to resolve");
        }
        IncidentRecord next = new IncidentRecord(rec.job(), rec.kind(), rec.correlationId(), rec.sysId(),
                rec.number(), State.RESOLVED, rec.openedAt(), now, now, 0, successes, flipAt, t.runId());
        return IncidentDecision.act(new IncidentAction.Resolve(IncidentRef.of(next), t.runId(), t.at(),
                        closeNotes(t), "Resolved by Jobwatch after " + successes + " successful run"
                        + (successes == 1 ? "" : "s in a row") + "."), next,
                "resolve after " + successes + " successful run" + (successes == 1 ? "" : "s"));
    }

    /** A failure at {@code at} no later than the damping window after the job recovered. */
    private static boolean withinDampingWindow(IncidentRecord rec, Duration window, Instant at) {
        if (rec.open() || window.isZero() || rec.lastFlipAt() == null) {
            return false;
        }
        return !at.isAfter(rec.lastFlipAt().plus(window));
    }

    // ---- texts -------------------------------------------------------------------------------------------------

    private static String headline(Transition t) {
        if (t.kind() == ProblemKind.FAILURE && t.runState() == RunState.TIMED_OUT) {
            return "TIMED OUT";
        }
        return t.kind().headline();
    }

    private static String jobLabel(Transition t) {
        return t.job().source().label() + " " + t.job().jobName();
    }

    static String title(Transition t, IncidentRules rules) {
        String prefix = rules.system() == null || rules.system().isBlank() ? "" : "[" + rules.system() + "] ";
        String suffix = " " + headline(t);
        String title = prefix + jobLabel(t) + suffix;
        if (title.length() <= IncidentAction.MAX_TITLE_LENGTH) {
            return title;
        }
        // Keep the headline: shorten the job name part.
        int room = IncidentAction.MAX_TITLE_LENGTH - suffix.length() - 1;
        String head = (prefix + jobLabel(t)).substring(0, room);
        if (Character.isHighSurrogate(head.charAt(head.length() - 1))) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "…" + suffix;
    }

    private static String description(Transition t, IncidentRules rules, String link, String threshold) {
        StringBuilder b = new StringBuilder();
        b.append(jobLabel(t)).append(' ').append(headline(t)).append(".\n");
        b.append("Account: ").append(t.job().account());
        if (rules.system() != null && !rules.system().isBlank()) {
            b.append(" (").append(rules.system()).append(')');
        }
        b.append("\nRegion: ").append(t.job().region());
        b.append("\nJob key: ").append(t.job().id());
        if (t.runId() != null) {
            b.append("\nRun: ").append(t.runId());
        }
        if (t.runState() != null) {
            b.append("\nResult: ").append(t.runState()).append(" at ").append(t.at());
        } else {
            b.append("\nDetected at: ").append(t.at());
        }
        if (t.error() != null && !t.error().isBlank()) {
            b.append(t.runState() != null ? "\nError: " : "\nDetail: ").append(t.error());
        }
        b.append("\nAWS console: ").append(link);
        b.append("\nOpened by Jobwatch: ").append(threshold).append('.');
        return b.toString();
    }

    private static String openNote(Transition t) {
        StringBuilder b = new StringBuilder("Opened automatically by Jobwatch");
        if (t.runId() != null) {
            b.append(" from run ").append(t.runId());
        }
        if (t.eventId() != null) {
            b.append(" (EventBridge event ").append(t.eventId()).append(')');
        }
        return b.append('.').toString();
    }

    private static String againNote(Transition t, int failuresInRow) {
        StringBuilder b = new StringBuilder();
        if (t.runId() != null) {
            b.append(t.kind() == ProblemKind.FAILURE ? "Failed again: run " : headline(t) + " again: run ")
                    .append(t.runId()).append(" at ").append(t.at());
        } else {
            b.append(headline(t)).append(" again at ").append(t.at());
        }
        b.append(" (").append(failuresInRow).append(" consecutive failure").append(failuresInRow == 1 ? "" : "s").append(").");
        appendDetails(b, t);
        return b.toString();
    }

    private static String reopenNote(Transition t, IncidentRecord rec, Duration window) {
        StringBuilder b = new StringBuilder("Reopened by Jobwatch: ");
        b.append(headline(t).toLowerCase(java.util.Locale.ROOT)).append(" again");
        if (t.runId() != null) {
            b.append(" (run ").append(t.runId()).append(')');
        }
        b.append(" at ").append(t.at()).append(", within ").append(window.toMinutes())
                .append(" min of recovering at ").append(rec.lastFlipAt()).append(" (flapping).");
        appendDetails(b, t);
        return b.toString();
    }

    private static void appendDetails(StringBuilder b, Transition t) {
        if (t.error() != null && !t.error().isBlank()) {
            b.append("\nError: ").append(t.error());
        }
        b.append("\nAWS console: ").append(ConsoleLinks.forRun(t.job(), t.runId()));
    }

    private static String closeNotes(Transition t) {
        if (t.kind() == ProblemKind.FAILURE) {
            return "Auto-resolved: " + t.job().jobName()
                    + (t.runId() != null ? " run " + t.runId() : "") + " SUCCEEDED at " + t.at() + ".";
        }
        return "Auto-resolved: " + t.job().jobName() + " is no longer " + t.kind().headline() + " (" + t.at() + ").";
    }

    private static String describe(IncidentRecord rec) {
        return rec.number() != null ? rec.number() : rec.correlationId();
    }
}
