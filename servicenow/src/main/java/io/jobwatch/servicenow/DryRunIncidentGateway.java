package io.jobwatch.servicenow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.incident.IncidentAction;
import io.jobwatch.core.incident.IncidentGateway;
import io.jobwatch.core.incident.IncidentTicket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An {@link IncidentGateway} that sends nothing: it appends the Table API requests it would send to a file, one JSON
 * object per line ({@code at}, {@code method}, {@code path}, {@code query} or {@code body}), and answers with made-up
 * tickets DRY0000001, DRY0000002 … so the whole lifecycle (lookups included) behaves as with a real instance.
 * Used by {@code jobwatch demo} and when no ServiceNow is configured.
 */
public final class DryRunIncidentGateway implements IncidentGateway {
    private final Path file;
    private final Clock clock;
    private final ObjectMapper mapper = new ObjectMapper();
    private final TableApiBodies bodies;
    private final Map<String, IncidentTicket> openByCorrelation = new HashMap<>();
    private final Map<String, IncidentTicket> latestByCorrelation = new HashMap<>();
    private final Map<String, String> correlationBySysId = new HashMap<>();
    private int created;

    public DryRunIncidentGateway(Path file, IncidentDefaults fields, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.bodies = new TableApiBodies(mapper, Objects.requireNonNull(fields, "fields"));
    }

    @Override
    public synchronized Optional<IncidentTicket> findOpen(String correlationId) {
        ObjectNode line = line("GET", TableApiBodies.TABLE_PATH);
        line.put("query", TableApiBodies.lookupQuery(correlationId));
        append(line);
        return Optional.ofNullable(openByCorrelation.get(correlationId));
    }

    @Override
    public synchronized Optional<IncidentTicket> findLatest(String correlationId) {
        ObjectNode line = line("GET", TableApiBodies.TABLE_PATH);
        line.put("query", TableApiBodies.latestQuery(correlationId));
        append(line);
        return Optional.ofNullable(latestByCorrelation.get(correlationId));
    }

    @Override
    public synchronized IncidentTicket create(IncidentAction.Open open) {
        created++;
        IncidentTicket t = new IncidentTicket(String.format("dry%07d", created), String.format("DRY%07d", created), "1");
        ObjectNode line = line("POST", TableApiBodies.TABLE_PATH);
        line.put("number", t.number());
        line.set("body", bodies.create(open));
        append(line);
        openByCorrelation.put(open.correlationId(), t);
        latestByCorrelation.put(open.correlationId(), t);
        correlationBySysId.put(t.sysId(), open.correlationId());
        return t;
    }

    @Override
    public synchronized IncidentTicket update(String sysId, String workNote) {
        return patch(sysId, bodies.workNote(workNote), null);
    }

    @Override
    public synchronized IncidentTicket resolve(String sysId, IncidentAction.Resolve resolve) {
        return patch(sysId, bodies.resolve(resolve), TableApiBodies.STATE_RESOLVED);
    }

    @Override
    public synchronized IncidentTicket reopen(String sysId, IncidentAction.Reopen reopen) {
        return patch(sysId, bodies.reopen(reopen), TableApiBodies.STATE_IN_PROGRESS);
    }

    private IncidentTicket patch(String sysId, ObjectNode body, String newState) {
        ObjectNode line = line("PATCH", TableApiBodies.TABLE_PATH + "/" + sysId);
        String number = sysId.startsWith("dry") ? "DRY" + sysId.substring(3) : null;
        if (number != null) {
            line.put("number", number);
        }
        line.set("body", body);
        append(line);
        String correlationId = correlationBySysId.get(sysId);
        IncidentTicket t = new IncidentTicket(sysId, number, newState);
        if (correlationId != null) {
            latestByCorrelation.put(correlationId, t);
            if (TableApiBodies.STATE_RESOLVED.equals(newState)) {
                openByCorrelation.remove(correlationId);
            } else {
                openByCorrelation.put(correlationId, t);
            }
        }
        return t;
    }

    private ObjectNode line(String method, String path) {
        ObjectNode n = mapper.createObjectNode();
        n.put("at", clock.instant().toString());
        n.put("method", method);
        n.put("path", path);
        return n;
    }

    private void append(ObjectNode line) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, mapper.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the dry-run incident file " + file + ": " + e.getMessage(), e);
        }
    }
}
