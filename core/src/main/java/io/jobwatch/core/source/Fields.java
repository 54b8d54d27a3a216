package io.jobwatch.core.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Typed reads of event fields that fail with the field's path, what was expected, and what was found. */
public final class Fields {
    /** Epoch millis outside [1970, 9999] are corrupt, not times. */
    private static final long MAX_EPOCH_MILLIS = 253402300799999L;

    private Fields() {
    }

    public static String text(JsonNode parent, String prefix, String name) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw new MalformedEventException(path(prefix, name), "a non-empty string", n == null ? "nothing (field missing)" : "null");
        }
        if (!n.isTextual()) {
            throw new MalformedEventException(path(prefix, name), "a non-empty string", describe(n));
        }
        String s = n.textValue();
        if (s.isBlank()) {
            throw new MalformedEventException(path(prefix, name), "a non-empty string", "an empty string");
        }
        return s;
    }

    /** An optional string: absent or null gives null; any other type is still an error. */
    public static String optText(JsonNode parent, String prefix, String name) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new MalformedEventException(path(prefix, name), "a string", describe(n));
        }
        String s = n.textValue();
        return s.isBlank() ? null : s;
    }

    public static JsonNode object(JsonNode parent, String prefix, String name) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            throw new MalformedEventException(path(prefix, name), "an object", n == null ? "nothing (field missing)" : "null");
        }
        if (!n.isObject()) {
            throw new MalformedEventException(path(prefix, name), "an object", describe(n));
        }
        return n;
    }

    /** An ISO-8601 time: {@code 2026-03-02T01:00:04Z}, with an offset, or Java's zoned form {@code …Z[UTC]}. */
    public static Instant isoTime(JsonNode parent, String prefix, String name) {
        String s = text(parent, prefix, name);
        return parseIso(s, path(prefix, name));
    }

    public static Instant optIsoTime(JsonNode parent, String prefix, String name) {
        String s = optText(parent, prefix, name);
        return s == null ? null : parseIso(s, path(prefix, name));
    }

    public static Instant parseIso(String s, String field) {
        try {
            return Instant.parse(s);
        } catch (DateTimeException e) {
            try {
                return ZonedDateTime.parse(s, DateTimeFormatter.ISO_ZONED_DATE_TIME).toInstant();
            } catch (DateTimeException e2) {
                throw new MalformedEventException(field, "an ISO-8601 time such as 2026-03-02T01:00:04Z", "\"" + clip(s) + "\"");
            }
        }
    }

    /** An optional epoch-millis number (Batch, Step Functions). */
    public static Instant optEpochMillis(JsonNode parent, String prefix, String name) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new MalformedEventException(path(prefix, name), "a time in epoch milliseconds (an integer)", describe(n));
        }
        long ms = n.longValue();
        if (ms < 0 || ms > MAX_EPOCH_MILLIS) {
            throw new MalformedEventException(path(prefix, name), "a time in epoch milliseconds between 1970 and 9999", String.valueOf(ms));
        }
        return Instant.ofEpochMilli(ms);
    }

    public static String path(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    public static String describe(JsonNode n) {
        if (n.isTextual()) {
            return "a string (\"" + clip(n.textValue()) + "\")";
        }
        if (n.isNumber()) {
            return "a number (" + clip(n.asText()) + ")";
        }
        if (n.isBoolean()) {
            return "a boolean (" + n.asText() + ")";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return n.getNodeType().name().toLowerCase();
    }

    public static String clip(String s) {
        String oneLine = s.replace('\n', ' ').replace('\r', ' ');
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...";
    }
}
