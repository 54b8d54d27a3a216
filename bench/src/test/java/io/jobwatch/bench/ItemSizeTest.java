package io.jobwatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class ItemSizeTest {
    @Test
    void size_countsNamesAndValues_asDynamoDbDocumentsIt() {
        // "pk" (2) + "JOB#a" (5); "n" (1) + 12345 → 3 digits pairs + 1 = 4; "ok" (2) + bool 1
        Map<String, AttributeValue> item = Map.of(
                "pk", AttributeValue.builder().s("JOB#a").build(),
                "n", AttributeValue.builder().n("12345").build(),
                "ok", AttributeValue.builder().bool(true).build());
        assertThat(ItemSize.of(item)).isEqualTo(2 + 5 + 1 + 4 + 2 + 1);
    }

    @Test
    void size_ofMapsAndLists_addsThreeBytesPlusOnePerElement() {
        AttributeValue m = AttributeValue.builder().m(Map.of("s", AttributeValue.builder().s("abc").build())).build();
        AttributeValue l = AttributeValue.builder().l(List.of(AttributeValue.builder().s("xy").build())).build();
        assertThat(ItemSize.value(m)).isEqualTo(3 + 1 + 1 + 3);
        assertThat(ItemSize.value(l)).isEqualTo(3 + 1 + 2);
    }

    @Test
    void size_ofUtf8Strings_countsBytesNotChars() {
        assertThat(ItemSize.value(AttributeValue.builder().s("é").build())).isEqualTo(2);
    }
}
