package io.jobwatch.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummaryState;
import io.jobwatch.core.store.RecentRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON text for the summary and notes columns (small, versioned by the schema, times ISO-8601 UTC at full precision). */
final class SummaryJson {
    private final ObjectMapper mapper;

    SummaryJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    String write(JobSummaryState s) {
        ObjectNode o = mapper.createObjectNode();
        ObjectNode slots = o.putObject("slots");
        s.slots().forEach((slot, r) -> {
            ObjectNode e = slots.putObject(Integer.toString(slot));
            e.put("runId", r.runId());
            e.put("state", r.state().name());
            putTime(e, "startedAt", r.startedAt());
            putTime(e, "endedAt", r.endedAt());
            e.put("error", r.error());
        });
        putTime(o, "lastSuccessAt", s.lastSuccessAt());
        putTime(o, "lastFailureAt", s.lastFailureAt());
        o.put("consecutiveFailures", s.consecutiveFailures());
        o.put("runCount", s.runCount());
        putTime(o, "lastUpdated", s.lastUpdated());
        return o.toString();
    }

    JobSummaryState read(String text) {
        JsonNode o = tree(text);
        Map<Integer, RecentRun> slots = new TreeMap<>();
        o.get("slots").fields().forEachRemaining(f -> {
            JsonNode e = f.getValue();
            slots.put(Integer.parseInt(f.getKey()), new RecentRun(e.get("runId").asText(),
                    RunState.valueOf(e.get("state").asText()), time(e, "startedAt"), time(e, "endedAt"),
                    e.path("error").isTextual() ? e.get("error").asText() : null));
        });
        return new JobSummaryState(slots, time(o, "lastSuccessAt"), time(o, "lastFailureAt"),
                o.get("consecutiveFailures").asInt(), o.get("runCount").asLong(), time(o, "lastUpdated"));
    }

    String writeNotes(List<String> notes) {
        if (notes.isEmpty()) {
            return null;
        }
        ArrayNode a = mapper.createArrayNode();
        notes.forEach(a::add);
        return a.toString();
    }

    List<String> readNotes(String text) {
        if (text == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        tree(text).forEach(n -> out.add(n.asText()));
        return out;
    }

    private JsonNode tree(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the store: " + e.getOriginalMessage(), e);
        }
    }

    private static void putTime(ObjectNode o, String field, Instant t) {
        if (t == null) {
            o.putNull(field);
        } else {
            o.put(field, t.toString());
        }
    }

    private static Instant time(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? null : Instant.parse(n.asText());
    }
}
