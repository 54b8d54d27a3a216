package io.jobwatch.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventInputTest {
    private final EventInput input = new EventInput(new ObjectMapper());

    private List<EventInput.Item> read(String s) {
        return input.readAll(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void singlePrettyPrintedEvent_isOneItem() {
        List<EventInput.Item> items = read("{\n  \"id\": \"a\",\n  \"detail\": {}\n}\n");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).ok()).isTrue();
        assertThat(items.get(0).line()).isEqualTo(1);
    }

    @Test
    void array_givesOneItemPerElement_withIndexes() {
        List<EventInput.Item> items = read("[{\"id\":\"a\"},\n {\"id\":\"b\"}, 3]");
        assertThat(items).extracting(EventInput.Item::index).containsExactly(0, 1, 2);
        assertThat(items.get(1).line()).isEqualTo(2);
        assertThat(items.get(2).event().isInt()).isTrue();
    }

    @Test
    void truncatedArray_keepsCompleteElements_andReportsTheRest() {
        List<EventInput.Item> items = read("[{\"id\":\"a\"}, {\"id\":\"b\"}, {\"id\":");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).ok()).isTrue();
        assertThat(items.get(1).ok()).isTrue();
        assertThat(items.get(2).ok()).isFalse();
        assertThat(items.get(2).index()).isEqualTo(2);
        assertThat(items.get(2).error()).startsWith("invalid JSON");
    }

    @Test
    void jsonLines_badLineCostsOnlyThatLine() {
        List<EventInput.Item> items = read("{\"id\":\"a\"}\n\n{\"id\": oops}\n{\"id\":\"c\"}\n");
        assertThat(items).hasSize(3);
        assertThat(items.get(0).ok()).isTrue();
        assertThat(items.get(1).ok()).isFalse();
        assertThat(items.get(1).line()).isEqualTo(3);
        assertThat(items.get(1).index()).isEqualTo(1);
        assertThat(items.get(1).error()).startsWith("invalid JSON at column");
        assertThat(items.get(2).event().get("id").asText()).isEqualTo("c");
        assertThat(items.get(2).line()).isEqualTo(4);
    }

    @Test
    void emptyInput_hasNoEvents() {
        assertThat(read("  \n")).isEmpty();
    }

    @Test
    void invalidUtf8_isInvalidJson() {
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        List<EventInput.Item> items = input.readAll(bad);
        assertThat(items).hasSize(1);
        assertThat(items.get(0).ok()).isFalse();
    }

    @Test
    void eventOverTheEventBridgeSizeLimit_isAnErrorNamingTheLimit_inArraysLinesAndSingleDocuments() {
        String big = "{\"id\":\"big\",\"pad\":\"" + "x".repeat(EventInput.MAX_EVENT_BYTES) + "\"}";
        String small = "{\"id\":\"a\"}";
        List<EventInput.Item> array = read("[" + small + ",\n" + big + ",\n" + small + "]");
        assertThat(array).extracting(EventInput.Item::ok).containsExactly(true, false, true);
        assertThat(array.get(1).error()).isEqualTo("(event): expected at most 262144 bytes (256 KB, EventBridge's "
                + "event size limit), found " + big.length() + " bytes");
        assertThat(array.get(1).line()).isEqualTo(2);
        List<EventInput.Item> lines = read(small + "\n" + big + "\n" + small + "\n");
        assertThat(lines).extracting(EventInput.Item::ok).containsExactly(true, false, true);
        assertThat(lines.get(1).error()).contains("found " + big.length() + " bytes");
        assertThat(read(big)).singleElement().satisfies(i -> assertThat(i.error()).startsWith("(event): expected at most 262144 bytes"));
        // Exactly at the limit is still an event.
        String edge = "{\"p\":\"" + "y".repeat(EventInput.MAX_EVENT_BYTES - 8) + "\"}";
        assertThat(edge).hasSize(EventInput.MAX_EVENT_BYTES);
        assertThat(read(edge)).singleElement().satisfies(i -> assertThat(i.ok()).isTrue());
    }

    @Test
    void inputOverTheEventCountLimit_stopsWithOneErrorItem_insteadOfReadingEveryElement() {
        EventInput limited = new EventInput(new ObjectMapper(), EventInput.Limits.DEFAULT.withMaxEvents(3));
        for (String body : List.of("[0,1,2,3,4,5,6,7]", "{}\n{}\n{}\n{}\n{}\n", "{} {} {} {} {}")) {
            List<EventInput.Item> items = limited.readAll(body.getBytes(StandardCharsets.UTF_8));
            assertThat(items).as(body).hasSize(4);
            assertThat(limited.tooMany(items)).isTrue();
            assertThat(items.get(3).index()).isEqualTo(3);
            assertThat(items.get(3).error()).isEqualTo("(input): expected at most 3 events in one input, found more; "
                    + "split it into smaller batches");
        }
        List<EventInput.Item> exact = limited.readAll("[0,1,2]".getBytes(StandardCharsets.UTF_8));
        assertThat(exact).hasSize(3).allMatch(EventInput.Item::ok);
        assertThat(limited.tooMany(exact)).isFalse();
    }
}
