package io.jobwatch.core.lineage;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The published OpenLineage JSON schema, pinned in this jar (spec 2-0-2 and the two run facets Jobwatch reads, from
 * OpenLineage at commit {@value #COMMIT}; Apache License 2.0, see {@code spec/NOTICE.md} beside them). Nothing is
 * fetched over the network: every {@code $ref} resolves to the pinned files. Formats ({@code date-time}, {@code uri},
 * {@code uuid}) are asserted, as the spec intends. Thread-safe; build one and share it (compiling takes a few ms).
 */
public final class LineageSchema {
    /** The OpenLineage commit the pinned schema files come from. */
    public static final String COMMIT = "8f02abfb7a252783b95df79f443edb13959bf52c";
    static final String BASE = "https://openlineage.io/spec/";
    static final String CORE = BASE + "2-0-2/OpenLineage.json";
    static final String ERROR_FACET = BASE + "facets/1-0-1/ErrorMessageRunFacet.json";
    static final String PARENT_FACET = BASE + "facets/1-2-0/ParentRunFacet.json";
    private static final String RESOURCES = "/io/jobwatch/core/lineage/spec/";

    private final Schema runEvent;
    private final Map<String, Schema> facets;

    public LineageSchema() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(CORE, resource("OpenLineage.json"));
        files.put(ERROR_FACET, resource("facets/ErrorMessageRunFacet.json"));
        files.put(PARENT_FACET, resource("facets/ParentRunFacet.json"));
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH)
                .locale(Locale.ROOT)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemas(files).schemaRegistryConfig(config));
        runEvent = registry.getSchema(SchemaLocation.of(CORE + "#/$defs/RunEvent"));
        runEvent.initializeValidators();
        facets = new LinkedHashMap<>();
        facets.put("errorMessage", registry.getSchema(SchemaLocation.of(ERROR_FACET + "#/$defs/ErrorMessageRunFacet")));
        facets.put("parent", registry.getSchema(SchemaLocation.of(PARENT_FACET + "#/$defs/ParentRunFacet")));
        facets.values().forEach(Schema::initializeValidators);
    }

    /** The run facets Jobwatch reads and validates; every other facet is ignored, valid or not. */
    public List<String> knownRunFacets() {
        return List.copyOf(facets.keySet());
    }

    /** Violations of {@code RunEvent} (facets excluded), each as {@code path: message}. */
    List<String> runEvent(JsonNode event) {
        return messages(runEvent.validate(event), "");
    }

    /** Violations of a known run facet, with paths under {@code run.facets.<name>}. */
    List<String> runFacet(String name, JsonNode facet) {
        return messages(facets.get(name).validate(facet), "run.facets." + name);
    }

    /** Each violation as {@code field: what is wrong — how to fix}, in the validator's order, without repeats. */
    private static List<String> messages(List<Error> errors, String prefix) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (Error e : errors) {
            String path = path(prefix, e.getInstanceLocation() == null ? "$" : e.getInstanceLocation().toString());
            String keyword = e.getKeyword() == null ? "" : e.getKeyword();
            JsonNode found = e.getInstanceNode();
            switch (keyword) {
                case "required" -> {
                    String property = e.getProperty() != null ? e.getProperty()
                            : e.getArguments() != null && e.getArguments().length > 0 ? String.valueOf(e.getArguments()[0]) : "?";
                    String field = path.equals("(event)") ? property : path + "." + property;
                    out.add(field + ": missing — " + (path.startsWith("inputs") || path.startsWith("outputs")
                            ? "add \"" + property + "\" (a dataset is namespace/name)" : hint(property)));
                }
                case "format" -> out.add(path + ": expected " + format(e.getSchemaNode()) + ", found " + describe(found));
                case "enum" -> out.add(path + ": expected one of " + enumValues(e.getSchemaNode()) + ", found "
                        + describe(found));
                case "type" -> out.add(path + ": expected " + article(e.getSchemaNode()) + ", found " + describe(found));
                default -> out.add(path + ": " + stripPath(e.getMessage()) + " (OpenLineage schema keyword " + keyword + ")");
            }
        }
        return List.copyOf(out);
    }

    private static String path(String prefix, String jsonPath) {
        String rest = jsonPath.equals("$") ? "" : jsonPath.startsWith("$.") ? jsonPath.substring(2)
                : jsonPath.startsWith("$") ? jsonPath.substring(1) : jsonPath;
        if (prefix.isEmpty()) {
            return rest.isEmpty() ? "(event)" : rest;
        }
        return rest.isEmpty() ? prefix : rest.startsWith("[") ? prefix + rest : prefix + "." + rest;
    }

    private static String stripPath(String message) {
        int colon = message == null ? -1 : message.indexOf(": ");
        return message == null ? "invalid" : message.startsWith("$") && colon > 0 ? message.substring(colon + 2) : message;
    }

    private static String hint(String property) {
        return switch (property) {
            case "schemaURL" -> "add \"schemaURL\": \"" + CORE + "#/$defs/RunEvent\" (OpenLineage clients send it)";
            case "producer" -> "add \"producer\": a URI naming what sent the event, e.g."
                    + " \"https://github.com/OpenLineage/OpenLineage/tree/1.24.2/integration/airflow\"";
            case "eventTime" -> "add \"eventTime\": when the run changed state, e.g. \"2026-03-02T01:00:00.000Z\"";
            case "run" -> "add \"run\": {\"runId\": \"<uuid>\"}";
            case "job" -> "add \"job\": {\"namespace\": \"…\", \"name\": \"…\"}";
            case "runId" -> "add \"runId\": the run's UUID, the same on each of its events";
            case "namespace", "name" -> "add \"" + property + "\" (the job is namespace/name)";
            case "_producer", "_schemaURL" -> "every facet names its producer and schema (_producer, _schemaURL), as"
                    + " OpenLineage clients add them";
            case "message", "programmingLanguage" -> "the errorMessage facet needs message and programmingLanguage";
            default -> "add \"" + property + "\" (the OpenLineage spec requires it)";
        };
    }

    private static String format(JsonNode schema) {
        // The validator hands over the keyword's own value: "date-time", "uri", "uuid".
        String f = schema == null ? "" : schema.isTextual() ? schema.asText() : schema.path("format").asText("");
        return switch (f) {
            case "date-time" -> "an RFC 3339 date-time, e.g. \"2026-03-02T01:00:00.000Z\"";
            case "uri" -> "a URI, e.g. \"https://github.com/OpenLineage/OpenLineage/tree/1.24.2/client/python\"";
            case "uuid" -> "a UUID, e.g. \"3b452093-782c-4ef2-9c0c-aafe2aa6f34d\"";
            default -> "the format " + f;
        };
    }

    private static String enumValues(JsonNode schema) {
        JsonNode values = schema == null ? null : schema.isArray() ? schema : schema.get("enum");
        if (values == null || !values.isArray()) {
            return "the listed values";
        }
        List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.asText()));
        return String.join(", ", out);
    }

    private static String article(JsonNode schema) {
        String t = schema == null ? "value" : schema.isTextual() ? schema.asText() : schema.path("type").asText("value");
        return switch (t) {
            case "object", "array", "integer" -> "an " + t;
            default -> "a " + t;
        };
    }

    private static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isTextual()) {
            String v = n.asText();
            return "\"" + (v.length() > 80 ? v.substring(0, 77) + "..." : v) + "\"";
        }
        if (n.isObject()) {
            return "an object";
        }
        if (n.isArray()) {
            return "an array";
        }
        return n.getNodeType().name().toLowerCase(Locale.ROOT) + " " + n;
    }

    private static String resource(String name) {
        try (InputStream in = LineageSchema.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the pinned OpenLineage schema file " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
