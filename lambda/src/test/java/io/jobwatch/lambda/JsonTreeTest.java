package io.jobwatch.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ObjectMapper-free tree equals ObjectMapper's own readTree on every real sample, and round-trips as text. */
class JsonTreeTest {

    @Test
    void parse_buildsTheSameTreeAsObjectMapper_forEverySample_andWritesItBack() throws Exception {
        for (Path sample : Fixtures.allSamples()) {
            String text = Fixtures.read(sample);
            JsonNode expected = Fixtures.JSON.readTree(text);

            JsonNode tree = JsonTree.parse(text);

            assertThat(tree).as(sample.toString()).isEqualTo(expected);
            assertThat(Fixtures.JSON.readTree(JsonTree.text(tree))).as(sample.toString()).isEqualTo(expected);
        }
        assertThat(JsonTree.parse("{\"n\":1.5,\"big\":12345678901234567890,\"l\":1773111600412,\"b\":false,\"z\":null}"))
                .isEqualTo(Fixtures.JSON.readTree("{\"n\":1.5,\"big\":12345678901234567890,\"l\":1773111600412,"
                        + "\"b\":false,\"z\":null}"));
    }

    @Test
    void parse_rejectsTextThatIsNotOneJsonValue() throws Exception {
        assertThatThrownBy(() -> JsonTree.parse("{\"a\":")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> JsonTree.parse("{} {}")).isInstanceOf(JsonProcessingException.class)
                .hasMessageContaining("unexpected content after the JSON value");
        assertThat(JsonTree.parse(" ")).isNull();
    }
}
