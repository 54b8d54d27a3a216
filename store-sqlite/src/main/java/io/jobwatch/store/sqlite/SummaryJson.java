package io.jobwatch.store.sqlite;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummaryState;
import io.jobwatch.core.store.RecentRun;
import java.io.IOException;
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
            if (r.attempt() > 1) {
                e.put("attempt", r.attempt());
            }
            if (r.warning() != null) {
                e.put("warning", r.warning());
            }
        });
        putTime(o, "lastSuccessAt", s.lastSuccessAt());
        putTime(o, "lastFailureAt", s.lastFailureAt());
        o.put("consecutiveFailures", s.consecutiveFailures());
        o.put("runCount", s.runCount());
        putTime(o, "lastUpdated", s.lastUpdated());
        return o.toString();
    }

    /**
     * Reads what {@link #write} wrote. Streaming, because the SLA checks read every summary every few minutes
     * (5,000 summaries of 32 runs each): a tree and {@code Instant.parse} per time cost several times more.
     */
    JobSummaryState read(String text) {
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            Map<Integer, RecentRun> slots = new TreeMap<>();
            Instant ok = null;
            Instant fail = null;
            Instant updated = null;
            int streak = 0;
            long count = 0;
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "slots" -> {
                        expect(value, JsonToken.START_OBJECT);
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            int slot = Integer.parseInt(p.currentName());
                            expect(p.nextToken(), JsonToken.START_OBJECT);
                            slots.put(slot, recent(p));
                        }
                    }
                    case "lastSuccessAt" -> ok = time(p);
                    case "lastFailureAt" -> fail = time(p);
                    case "lastUpdated" -> updated = time(p);
                    case "consecutiveFailures" -> streak = p.getIntValue();
                    case "runCount" -> count = p.getLongValue();
                    default -> p.skipChildren();
                }
            }
            return new JobSummaryState(slots, ok, fail, streak, count, updated);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable summary JSON in the store: " + e.getMessage(), e);
        }
    }

    private static RecentRun recent(JsonParser p) throws IOException {
        String runId = null;
        RunState state = null;
        Instant start = null;
        Instant end = null;
        String error = null;
        int attempt = 1;
        String warning = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "runId" -> runId = p.getText();
                case "state" -> state = RunState.valueOf(p.getText());
                case "startedAt" -> start = time(p);
                case "endedAt" -> end = time(p);
                case "error" -> error = value == JsonToken.VALUE_NULL ? null : p.getText();
                case "attempt" -> attempt = p.getIntValue();
                case "warning" -> warning = value == JsonToken.VALUE_NULL ? null : p.getText();
                default -> p.skipChildren();
            }
        }
        return new RecentRun(runId, state, start, end, error, attempt, warning);
    }

    private static void expect(JsonToken found, JsonToken wanted) throws IOException {
        if (found != wanted) {
            throw new IOException("expected " + wanted + ", found " + found);
        }
    }

    private static Instant time(JsonParser p) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : fastInstant(p.getText());
    }

    /**
     * {@code Instant.toString()} text ({@code 2026-03-02T05:30:00Z}, optionally with a fraction) without the
     * general formatter; anything else goes to {@link Instant#parse}.
     */
    static Instant fastInstant(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || !digits(s, 0, 4) || !digits(s, 5, 7)
                || !digits(s, 8, 10) || !digits(s, 11, 13) || !digits(s, 14, 16) || !digits(s, 17, 19)) {
            return Instant.parse(s);
        }
        int nanos = 0;
        if (n > 20) {
            if (s.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1 || !digits(s, 20, n - 1)) {
                return Instant.parse(s);
            }
            nanos = Integer.parseInt(s.substring(20, n - 1));
            for (int i = n - 21; i < 9; i++) {
                nanos *= 10;
            }
        }
        long epochDay = java.time.LocalDate.of(num(s, 0, 4), num(s, 5, 7), num(s, 8, 10)).toEpochDay();
        long seconds = epochDay * 86_400 + num(s, 11, 13) * 3600L + num(s, 14, 16) * 60L + num(s, 17, 19);
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int num(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (s.charAt(i) - '0');
        }
        return v;
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
}
