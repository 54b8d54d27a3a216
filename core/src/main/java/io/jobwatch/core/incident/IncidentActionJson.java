package io.jobwatch.core.incident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;

import java.time.Instant;

/**
 * The stored form of an {@link IncidentAction}: one JSON object, so outbox adapters keep it in one text column or
 * attribute. Field names are stable; {@code type} selects the action.
 */
public final class IncidentActionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private IncidentActionJson() {
    }

    public static String write(IncidentAction action) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("type", action.type());
        IncidentRef ref = action.incident();
        n.put("job", ref.job().id());
        n.put("kind", ref.kind().name());
        n.put("correlationId", ref.correlationId());
        n.put("openedAt", ref.openedAt().toString());
        n.put("sysId", ref.sysId());
        n.put("runId", action.runId());
        n.put("at", action.at().toString());
        n.put("workNote", action.workNote());
        if (action instanceof IncidentAction.Open o) {
            n.put("title", o.title());
            n.put("description", o.description());
            n.put("urgency", o.urgency());
            n.put("impact", o.impact());
            n.put("assignmentGroup", o.assignmentGroup());
            n.put("correlationDisplay", o.correlationDisplay());
            n.put("consoleLink", o.consoleLink());
        } else if (action instanceof IncidentAction.Resolve r) {
            n.put("closeNotes", r.closeNotes());
        }
        if (action.cause() != null) {
            n.putObject("cause").put("state", action.cause().state()).put("detail", action.cause().detail());
        }
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an incident action as JSON", e);
        }
    }

    /** Reads {@link #write}'s output; throws IllegalArgumentException saying which field is wrong. */
    public static IncidentAction read(String json) {
        JsonNode n;
        try {
            n = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("stored incident action is not JSON: " + e.getOriginalMessage());
        }
        IncidentRef ref = new IncidentRef(JobKey.parse(text(n, "job")), ProblemKind.valueOf(text(n, "kind")),
                text(n, "correlationId"), Instant.parse(text(n, "openedAt")), opt(n, "sysId"));
        String runId = opt(n, "runId");
        Instant at = Instant.parse(text(n, "at"));
        String note = text(n, "workNote");
        String type = text(n, "type");
        // Entries stored before causes were kept have none: channels then show what the texts say.
        JsonNode c = n.get("cause");
        IncidentAction.Cause cause = c == null || c.isNull() ? null
                : new IncidentAction.Cause(text(c, "state"), opt(c, "detail"));
        return switch (type) {
            case "open" -> new IncidentAction.Open(ref, runId, at, text(n, "title"), text(n, "description"),
                    n.path("urgency").asInt(), n.path("impact").asInt(), opt(n, "assignmentGroup"),
                    text(n, "correlationDisplay"), opt(n, "consoleLink"), note, cause);
            case "update" -> new IncidentAction.Update(ref, runId, at, note, cause);
            case "resolve" -> new IncidentAction.Resolve(ref, runId, at, text(n, "closeNotes"), note, cause);
            case "reopen" -> new IncidentAction.Reopen(ref, runId, at, note, cause);
            default -> throw new IllegalArgumentException("stored incident action has unknown type '" + type
                    + "' (expected open, update, resolve or reopen)");
        };
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("stored incident action lacks text field '" + field + "'");
        }
        return v.asText();
    }

    private static String opt(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
