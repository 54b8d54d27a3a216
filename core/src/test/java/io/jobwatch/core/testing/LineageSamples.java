package io.jobwatch.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;

/**
 * The OpenLineage samples of examples/openlineage (see its SOURCES.md). The dbt integration's files are test
 * expectations that leave out what the OpenLineage client always adds; {@link #completed} fills in exactly that.
 */
public final class LineageSamples {
    /** The dbt integration's producer URI, as dbt-ol sends it. */
    public static final String DBT_PRODUCER = "https://github.com/OpenLineage/OpenLineage/tree/1.24.2/integration/dbt";
    public static final String RUN_EVENT_SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    private static final String PLACEHOLDER = "{{ any(result) }}";

    private LineageSamples() {
    }

    public static Path dir() {
        return Fixtures.repoRoot().resolve("examples/openlineage");
    }

    /** A sample as written. */
    public static ObjectNode read(String file) {
        return (ObjectNode) Fixtures.read(dir().resolve(file));
    }

    /** The dbt sequence's events as written. */
    public static ArrayNode dbtSequence() {
        return (ArrayNode) Fixtures.read(dir().resolve("dbt-failed-run-sequence.json"));
    }

    /**
     * A dbt expectation as dbt-ol sends it: the placeholder run ids replaced ({@code run.runId} by {@code runId}, the
     * parent's by {@code parentRunId}), {@code producer} and {@code schemaURL} added, {@code _producer} and
     * {@code _schemaURL} added to every run and job facet, and null-valued facet fields (the expectations' "any value"
     * markers) left out, as the client's serializer leaves out None. Nothing else changes.
     */
    public static ObjectNode completed(JsonNode dbtEvent, String runId, String parentRunId) {
        ObjectNode e = dbtEvent.deepCopy();
        ((ObjectNode) e.get("run")).put("runId", runId);
        e.put("producer", DBT_PRODUCER);
        e.put("schemaURL", RUN_EVENT_SCHEMA);
        facets(e.path("run").path("facets"), "https://openlineage.io/spec/facets/1-0-1/");
        facets(e.path("job").path("facets"), "https://openlineage.io/spec/facets/1-0-1/");
        JsonNode parentRun = e.path("run").path("facets").path("parent").path("run");
        if (parentRun instanceof ObjectNode p && PLACEHOLDER.equals(p.path("runId").asText())) {
            p.put("runId", parentRunId);
        }
        return e;
    }

    private static void withoutNulls(ObjectNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            JsonNode v = it.next().getValue();
            if (v.isNull()) {
                it.remove();
            } else if (v instanceof ObjectNode o) {
                withoutNulls(o);
            }
        }
    }

    private static void facets(JsonNode facets, String base) {
        if (!(facets instanceof ObjectNode map)) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue() instanceof ObjectNode facet) {
                facet.put("_producer", DBT_PRODUCER);
                facet.put("_schemaURL", base + f.getKey() + ".json");
                withoutNulls(facet);
            }
        }
    }
}
