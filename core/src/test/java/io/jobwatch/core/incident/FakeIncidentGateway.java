package io.jobwatch.core.incident;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An incident system in memory that records calls and can be told to fail the next ones. */
public class FakeIncidentGateway implements IncidentGateway {
    public final List<String> calls = new ArrayList<>();
    public final Map<String, IncidentTicket> byCorrelation = new LinkedHashMap<>();
    /** Every ticket created, sys_id → correlation id (byCorrelation keeps only each correlation's latest). */
    public final Map<String, String> correlationOf = new LinkedHashMap<>();
    final Map<String, List<String>> notes = new LinkedHashMap<>();
    private final Deque<GatewayException> failures = new ArrayDeque<>();
    private int next = 10000;

    /** Incidents created so far. */
    public int created() {
        return (int) calls.stream().filter(c -> c.startsWith("create ")).count();
    }

    /** Incidents not resolved. */
    public long activeTickets() {
        return byCorrelation.values().stream().filter(t -> !"6".equals(t.state())).count();
    }

    public void failNext(GatewayException e) {
        failures.add(e);
    }

    private void maybeFail() {
        GatewayException e = failures.poll();
        if (e != null) {
            throw e;
        }
    }

    @Override
    public Optional<IncidentTicket> findOpen(String correlationId) {
        calls.add("find " + correlationId);
        maybeFail();
        IncidentTicket t = byCorrelation.get(correlationId);
        return t == null || "6".equals(t.state()) ? Optional.empty() : Optional.of(t);
    }

    @Override
    public Optional<IncidentTicket> findLatest(String correlationId) {
        calls.add("latest " + correlationId);
        maybeFail();
        return Optional.ofNullable(byCorrelation.get(correlationId));
    }

    @Override
    public IncidentTicket create(IncidentAction.Open open) {
        calls.add("create " + open.runId());
        maybeFail();
        IncidentTicket t = new IncidentTicket("sys" + next, "INC00" + next++, "1");
        byCorrelation.put(open.correlationId(), t);
        correlationOf.put(t.sysId(), open.correlationId());
        return t;
    }

    @Override
    public IncidentTicket update(String sysId, String workNote) {
        calls.add("update " + sysId);
        maybeFail();
        notes.computeIfAbsent(sysId, k -> new ArrayList<>()).add(workNote);
        return ticket(sysId, null);
    }

    @Override
    public IncidentTicket resolve(String sysId, IncidentAction.Resolve resolve) {
        calls.add("resolve " + sysId);
        maybeFail();
        return ticket(sysId, "6");
    }

    @Override
    public IncidentTicket reopen(String sysId, IncidentAction.Reopen reopen) {
        calls.add("reopen " + sysId);
        maybeFail();
        return ticket(sysId, "2");
    }

    private IncidentTicket ticket(String sysId, String newState) {
        for (Map.Entry<String, IncidentTicket> e : byCorrelation.entrySet()) {
            if (e.getValue().sysId().equals(sysId)) {
                IncidentTicket t = new IncidentTicket(sysId, e.getValue().number(), newState != null ? newState : e.getValue().state());
                e.setValue(t);
                return t;
            }
        }
        throw GatewayException.ofStatus("HTTP 404 No Record found", 404, "{\"error\":{\"message\":\"No Record found\"}}", null);
    }
}
