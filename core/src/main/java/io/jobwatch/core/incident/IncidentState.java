package io.jobwatch.core.incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the incident store keeps for one job problem: the incident record and what makes deciding on it safe with
 * several writers and crashes.
 *
 * @param record  the incident (the latest one of this job and kind)
 * @param version incremented by every decision that changes it; a save is conditional on the version read (1 = first)
 * @param pending actions decided with this version (or before) that are not in the outbox yet: written with the record
 *                in one conditional write, then copied to the outbox (idempotent keys) and dropped — so a decision and
 *                its actions are never separated, and a writer that crashes in between leaves them for the next
 * @param noted   ids of the recent runs an action was about (at most {@link #MAX_NOTED}), so a run judged again
 *                (a redelivered event) never adds a second work note
 * @param tickets ServiceNow identities of this problem's recent incidents, by their {@code openedAt} (at most
 *                {@link #MAX_TICKETS}): the actions of an incident that was replaced by a newer one before they were
 *                sent still find their ticket
 */
public record IncidentState(IncidentRecord record, long version, List<PendingAction> pending, List<String> noted,
                            Map<Instant, Ticket> tickets) {
    public static final int MAX_NOTED = 16;
    public static final int MAX_TICKETS = 4;

    /** A decided action on its way to the outbox: its outbox id ({@link #key}) and its place in the incident's order. */
    public record PendingAction(String key, long seq, IncidentAction action) {
        public PendingAction {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(action, "action");
        }
    }

    /** A ServiceNow incident: sys_id and number. */
    public record Ticket(String sysId, String number) {
        public Ticket {
            Objects.requireNonNull(sysId, "sysId");
        }
    }

    public IncidentState {
        Objects.requireNonNull(record, "record");
        pending = List.copyOf(pending);
        noted = List.copyOf(noted);
        tickets = Map.copyOf(tickets);
        if (version < 1) {
            throw new IllegalArgumentException("version must be at least 1, was " + version);
        }
    }

    /** A first record, nothing pending. */
    public static IncidentState of(IncidentRecord record) {
        return new IncidentState(record, 1, List.of(), List.of(), Map.of());
    }

    /**
     * The state after a decision: the new record, the version after this one, the action (if any) added to what is
     * pending, the run noted.
     */
    IncidentState next(IncidentRecord next, IncidentAction action, String runId) {
        long v = version + 1;
        List<PendingAction> p = new ArrayList<>(pending);
        if (action != null) {
            p.add(new PendingAction(keyOf(action, v), v, action));
        }
        List<String> n = new ArrayList<>(noted);
        String decided = action != null && action.runId() != null ? action.runId() : runId;
        if (action != null && decided != null && !n.contains(decided)) {
            n.add(decided);
            while (n.size() > MAX_NOTED) {
                n.remove(0);
            }
        }
        return new IncidentState(next, v, p, n, tickets);
    }

    /** The first state of a job problem (nothing stored yet): version 1. */
    static IncidentState first(IncidentRecord record, IncidentAction action, String runId) {
        List<PendingAction> p = action == null ? List.of() : List.of(new PendingAction(keyOf(action, 1), 1, action));
        String decided = action != null && action.runId() != null ? action.runId() : runId;
        List<String> n = action == null || decided == null ? List.of() : List.of(decided);
        return new IncidentState(record, 1, p, n, Map.of());
    }

    /** An action's incident, run (or time) and type: {@code correlationId|openedAt|run|type}. */
    public static String keyOf(IncidentAction a) {
        IncidentRef ref = a.incident();
        return ref.correlationId() + "|" + ref.openedAt() + "|" + (a.runId() != null ? a.runId() : a.at().toString())
                + "|" + a.type();
    }

    /**
     * The correlation id of the incident an action key ({@link #keyOf}) belongs to: keys begin with it (correlation ids
     * hold no {@code |}), so a store can keep an incident's outbox entries together and find one by its key.
     */
    public static String correlationIdOfKey(String key) {
        int bar = key.indexOf('|');
        return bar < 0 ? key : key.substring(0, bar);
    }

    /**
     * The outbox id of an action decided with version {@code seq}: its incident, run, type and — for a state change —
     * the decision's version.
     * A decision is saved once (conditional on the version), so relaying it again or a second writer judging the same
     * run collapses into this one entry; a later decision of the same type on the same run — a resolve decided again
     * on a redelivered run after the incident was reopened — is a new decision and gets its own entry (without the
     * version it collapsed into the first resolve, which was sent already, and the ticket stayed open).
     */
    public static String keyOf(IncidentAction a, long seq) {
        // A work note for a run says the same thing however often it is decided (concurrent writers, a redelivered
        // run judged again): it stays one entry, or the ticket and the channels get it twice. Only state changes
        // (open, resolve, reopen) repeat legitimately on one run, after the incident changed state in between.
        return a instanceof IncidentAction.Update ? keyOf(a) : keyOf(a) + "|" + seq;
    }

    /** The ServiceNow identity of the incident {@code ref} names, if known here. */
    public Ticket ticketOf(IncidentRef ref) {
        if (record.openedAt().equals(ref.openedAt()) && record.sysId() != null) {
            return new Ticket(record.sysId(), record.number());
        }
        return tickets.get(ref.openedAt());
    }

    /** Tickets bounded to the newest {@link #MAX_TICKETS} incidents, with {@code add} among them. */
    public static Map<Instant, Ticket> withTicket(Map<Instant, Ticket> tickets, Instant openedAt, Ticket add) {
        Map<Instant, Ticket> m = new LinkedHashMap<>();
        tickets.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue()));
        m.put(openedAt, add);
        while (m.size() > MAX_TICKETS) {
            m.remove(m.keySet().iterator().next());
        }
        return m;
    }
}
