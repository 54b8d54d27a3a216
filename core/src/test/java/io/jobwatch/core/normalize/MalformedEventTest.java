package io.jobwatch.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** Bad input is rejected with the field, what was expected and what was found. */
class MalformedEventTest {
    private final EventNormalizer normalizer = new EventNormalizer();

    private Normalization.Rejected rejected(ObjectNode event) {
        Normalization n = normalizer.normalize(event);
        assertThat(n).isInstanceOf(Normalization.Rejected.class);
        return (Normalization.Rejected) n;
    }

    @Test
    void missingRunId_namesTheDetailField() {
        ObjectNode e = Fixtures.event("glue-job/failed.json");
        ((ObjectNode) e.get("detail")).remove("jobRunId");
        assertThat(rejected(e).message()).isEqualTo("detail.jobRunId: expected a non-empty string, found nothing (field missing)");
    }

    @Test
    void mistypedEpochMillis_saysAnIntegerWasExpected() {
        ObjectNode e = Fixtures.event("batch/failed.json");
        ((ObjectNode) e.get("detail")).put("startedAt", "yesterday");
        Normalization.Rejected r = rejected(e);
        assertThat(r.field()).isEqualTo("detail.startedAt");
        assertThat(r.expected()).contains("epoch milliseconds");
        assertThat(r.found()).contains("\"yesterday\"");
    }

    @Test
    void numericAccount_isRejectedAsMistyped() {
        ObjectNode e = Fixtures.event("appflow/success.json");
        e.put("account", 111122223333L);
        assertThat(rejected(e).message()).isEqualTo("account: expected a non-empty string, found a number (111122223333)");
    }

    @Test
    void badEnvelopeTime_isRejected() {
        ObjectNode e = Fixtures.event("datasync/success.json");
        e.put("time", "03/08/2026 02:37");
        assertThat(rejected(e).field()).isEqualTo("time");
    }

    @Test
    void dataSyncWithoutResources_isRejected() {
        ObjectNode e = Fixtures.event("datasync/success.json");
        e.putArray("resources");
        assertThat(rejected(e).message()).isEqualTo("resources[0]: expected the execution ARN, found an empty array");
    }

    @Test
    void notAnObject_isRejected() {
        assertThat(normalizer.normalize(new com.fasterxml.jackson.databind.node.IntNode(3)))
                .isInstanceOf(Normalization.Rejected.class);
    }

    @Test
    void detailNotAnObject_isRejected() {
        ObjectNode e = Fixtures.event("step-functions/running.json");
        e.put("detail", "{}");
        assertThat(rejected(e).message()).isEqualTo("detail: expected an object, found a string (\"{}\")");
    }

    @Test
    void hugeError_isCutTo4KiBOfUtf8_onACharacterBoundary() {
        ObjectNode e = Fixtures.event("glue-job/failed.json");
        ((ObjectNode) e.get("detail")).put("message", "é".repeat(1000) + "😀".repeat(2000));
        RunEvent r = ((Normalization.Normalized) normalizer.normalize(e)).event();
        byte[] utf8 = r.error().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(utf8.length).isLessThanOrEqualTo(4096).isGreaterThan(4090);
        assertThat(Character.isHighSurrogate(r.error().charAt(r.error().length() - 1))).isFalse();
    }
}
