package io.jobwatch.core.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.testing.LineageSamples;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenLineage spec examples and dbt's published events through the reader: the run model, and precise rejections. */
class LineageEventsTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final LineageSchema SCHEMA = new LineageSchema();
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T12:00:00Z"), ZoneOffset.UTC);
    final LineageEvents reader = new LineageEvents(SCHEMA, JSON, CLOCK, 1024 * 1024);

    static final String ROOT_RUN = "0191d6c8-6b3e-7a6f-8c2d-1a2b3c4d5e6f";
    static final String MODEL_RUN = "0191d6c8-6b3f-7b70-9d3e-2b3c4d5e6f70";

    LineageEvents.Item one(JsonNode event) {
        List<LineageEvents.Item> items = reader.read(event.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(items).hasSize(1);
        return items.get(0);
    }

    RunEvent accepted(JsonNode event) {
        LineageEvents.Item item = one(event);
        assertThat(item).as(item.toString()).isInstanceOf(LineageEvents.Accepted.class);
        return ((LineageEvents.Accepted) item).event();
    }

    @Test
    void specStartExample_isARunningRun_ofJobNamespaceSlashName_startingAtItsEventTime() {
        RunEvent e = accepted(LineageSamples.read("runevent-start.spec.json"));
        assertThat(e.job().source()).isEqualTo(JobSource.OPENLINEAGE);
        assertThat(e.job().jobName()).isEqualTo("my-scheduler-namespace/myjob.mytask");
        assertThat(e.job().account()).isEmpty();
        assertThat(e.job().region()).isEmpty();
        assertThat(e.runId()).isEqualTo("3b452093-782c-4ef2-9c0c-aafe2aa6f34d");
        assertThat(e.state()).isEqualTo(RunState.RUNNING);
        assertThat(e.sourceState()).isEqualTo("START");
        assertThat(e.startedAt()).isEqualTo(Instant.parse("2020-12-09T23:37:31.081Z"));
        assertThat(e.endedAt()).isNull();
        assertThat(e.eventId()).isEqualTo("ol:3b452093-782c-4ef2-9c0c-aafe2aa6f34d:START:2020-12-09T23:37:31.081Z");
    }

    @Test
    void specFullCompleteExample_succeeds_endingAtItsEventTime_andItsUnknownJobFacetIsIgnored() {
        RunEvent e = accepted(LineageSamples.read("runevent-complete.spec-tests-full.json"));
        assertThat(e.job().jobName()).isEqualTo("food_delivery/dbt");
        assertThat(e.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(e.endedAt()).isEqualTo(Instant.parse("2023-07-17T10:54:22.355067Z"));
        assertThat(e.error()).isNull();
    }

    @Test
    void docsExampleWithoutSchemaUrl_isRejected_namingTheFieldAndTheFix() {
        LineageEvents.Item item = one(LineageSamples.read("runevent-start.docs-examples.json"));
        assertThat(item).isInstanceOf(LineageEvents.Rejected.class);
        assertThat(((LineageEvents.Rejected) item).errors()).containsExactly("schemaURL: missing — add \"schemaURL\":"
                + " \"https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent\" (OpenLineage clients send it)");
    }

    @Test
    void dbtModelFail_isFailed_withTheErrorMessageFacetsMessageAndStackTrace_andKeepsItsParent() {
        ObjectNode fail = LineageSamples.completed(LineageSamples.read("runevent-fail-errorMessage.dbt.json"), MODEL_RUN,
                ROOT_RUN);
        LineageEvents.Item item = one(fail);
        assertThat(item).isInstanceOf(LineageEvents.Accepted.class);
        LineageEvents.Accepted a = (LineageEvents.Accepted) item;
        assertThat(a.event().state()).isEqualTo(RunState.FAILED);
        assertThat(a.event().sourceState()).isEqualTo("FAIL");
        assertThat(a.event().job().jobName()).isEqualTo("dbt-test-namespace/model.jaffle_shop.orders.sql.2");
        assertThat(a.event().error()).startsWith("Database Error in model orders (models/orders.sql)\n  syntax error at or"
                + " near \"final\"").contains("Traceback (most recent call last):");
        assertThat(a.event().error().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(RunEvent.MAX_ERROR_BYTES);
        assertThat(a.parent()).isEqualTo(new LineageParent("dbt-test-namespace/model.jaffle_shop.orders", ROOT_RUN,
                null, null));
    }

    @Test
    void dbtRootFail_withoutStackTrace_isFailed_withTheMessage() {
        RunEvent e = accepted(LineageSamples.completed(LineageSamples.read("runevent-fail-root.dbt.json"), ROOT_RUN, null));
        assertThat(e.state()).isEqualTo(RunState.FAILED);
        assertThat(e.job().jobName()).isEqualTo("dbt-test-namespace/dbt-run-jaffle_shop");
        assertThat(e.error()).isEqualTo("Command `dbt run` failed at 15:58:09.771069 after 6.60 seconds");
    }

    @Test
    void abort_isStopped_andOther_isIgnoredWithItsReason() {
        ObjectNode abort = LineageSamples.read("runevent-start.spec.json");
        abort.put("eventType", "ABORT");
        assertThat(accepted(abort).state()).isEqualTo(RunState.STOPPED);
        ObjectNode other = LineageSamples.read("runevent-start.spec.json");
        other.put("eventType", "OTHER");
        assertThat(one(other)).isEqualTo(new LineageEvents.Ignored(0,
                "an OTHER event carries metadata, not a state of the run"));
    }

    @Test
    void batch_ofTheDbtSequence_readsEveryEventInOrder() {
        ArrayNode batch = JSON.createArrayNode();
        int i = 0;
        for (JsonNode e : LineageSamples.dbtSequence()) {
            boolean root = e.at("/job/name").asText().equals("dbt-run-jaffle_shop");
            batch.add(LineageSamples.completed(e, root ? ROOT_RUN : "0191d6c8-6b3f-7b70-9d3e-2b3c4d5e6f7" + (i++), ROOT_RUN));
        }
        List<LineageEvents.Item> items = reader.read(batch.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(items).hasSize(8).allMatch(x -> x instanceof LineageEvents.Accepted);
        assertThat(items).extracting(x -> ((LineageEvents.Accepted) x).event().sourceState())
                .containsExactly("START", "START", "START", "COMPLETE", "START", "FAIL", "FAIL", "FAIL");
        assertThat(items).extracting(LineageEvents.Item::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void unknownFacets_areIgnored_evenWhenTheyBreakTheBaseFacetRules() {
        ObjectNode e = LineageSamples.read("runevent-start.spec.json");
        ((ObjectNode) e.get("run")).putObject("facets").putObject("spark_unknown").put("anything", 1);
        ((ObjectNode) e.get("job")).putObject("facets").putObject("ownership").put("_producer", "not a uri");
        assertThat(accepted(e).state()).isEqualTo(RunState.RUNNING);
    }

    @Test
    void knownFacet_thatBreaksItsSchema_isRejected_withThePathUnderRunFacets() {
        ObjectNode e = LineageSamples.read("runevent-start.spec.json");
        e.put("eventType", "FAIL");
        ((ObjectNode) e.get("run")).putObject("facets").putObject("errorMessage").put("message", "boom");
        LineageEvents.Item item = one(e);
        assertThat(item).isInstanceOf(LineageEvents.Rejected.class);
        assertThat(((LineageEvents.Rejected) item).errors()).containsExactly(
                "run.facets.errorMessage._producer: missing — every facet names its producer and schema (_producer,"
                        + " _schemaURL), as OpenLineage clients add them",
                "run.facets.errorMessage._schemaURL: missing — every facet names its producer and schema (_producer,"
                        + " _schemaURL), as OpenLineage clients add them",
                "run.facets.errorMessage.programmingLanguage: missing — the errorMessage facet needs message and"
                        + " programmingLanguage");
    }

    @Test
    void schemaViolations_areEachNamed_withWhatIsExpected() {
        ObjectNode e = LineageSamples.read("runevent-start.spec.json");
        e.put("eventType", "STARTED");
        ((ObjectNode) e.get("run")).put("runId", "run-1");
        e.put("eventTime", "yesterday");
        ((ObjectNode) e.get("job")).remove("namespace");
        LineageEvents.Item item = one(e);
        assertThat(item).isInstanceOf(LineageEvents.Rejected.class);
        assertThat(((LineageEvents.Rejected) item).errors()).containsExactlyInAnyOrder(
                "eventType: expected one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER, found \"STARTED\"",
                "run.runId: expected a UUID, e.g. \"3b452093-782c-4ef2-9c0c-aafe2aa6f34d\", found \"run-1\"",
                "eventTime: expected an RFC 3339 date-time, e.g. \"2026-03-02T01:00:00.000Z\", found \"yesterday\"",
                "job.namespace: missing — add \"namespace\" (the job is namespace/name)");
    }

    @Test
    void eventTime_outsideThePlausibleWindow_isRejected() {
        ObjectNode e = LineageSamples.read("runevent-start.spec.json");
        e.put("eventTime", "1970-01-01T00:00:00Z");
        LineageEvents.Item item = one(e);
        assertThat(item).isInstanceOf(LineageEvents.Rejected.class);
        assertThat(((LineageEvents.Rejected) item).message()).startsWith("eventTime: expected a time between")
                .endsWith("found \"1970-01-01T00:00:00Z\" — check the producer's clock");
    }

    @Test
    void invalidJson_andNonObjects_andNoRunEvents_sayWhat() {
        assertThat(reader.read("{\"eventType\": ".getBytes(StandardCharsets.UTF_8))).singleElement()
                .isInstanceOfSatisfying(LineageEvents.Rejected.class, r -> assertThat(r.message())
                        .startsWith("invalid JSON").endsWith("— send one OpenLineage RunEvent as JSON, or a JSON array of them"));
        assertThat(reader.read("[42]".getBytes(StandardCharsets.UTF_8))).singleElement()
                .isInstanceOfSatisfying(LineageEvents.Rejected.class, r -> assertThat(r.message())
                        .isEqualTo("(event): expected a JSON object (an OpenLineage RunEvent), found a number (42) — send"
                                + " the event as the OpenLineage client does"));
        ObjectNode dataset = JSON.createObjectNode();
        dataset.putObject("dataset").put("namespace", "s3://lake").put("name", "orders");
        assertThat(one(dataset)).isInstanceOf(LineageEvents.Ignored.class);
    }
}
