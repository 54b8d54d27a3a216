package io.jobwatch.core.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.ingest.EventInput;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.testing.Fixtures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;

/**
 * Mutated real events (fields dropped, types changed, huge and unicode strings, truncated bytes) always give a valid
 * RunEvent, an Unsupported note, or a precise rejection — never another exception.
 */
class NormalizerPropertiesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<Path> FILES = Fixtures.eventFiles();
    private final EventNormalizer normalizer = new EventNormalizer();

    @Property(tries = 400, seed = "20261125")
    void mutatedEvent_isNormalizedOrPreciselyRejected(@ForAll @IntRange(min = 0, max = 1000) int file,
                                                       @ForAll @IntRange(min = 0, max = 10_000) int pathPick,
                                                       @ForAll @IntRange(min = 0, max = 7) int mutation,
                                                       @ForAll @StringLength(max = 40) String text) {
        ObjectNode event = (ObjectNode) Fixtures.read(FILES.get(file % FILES.size()));
        List<String[]> paths = new ArrayList<>();
        collect(event, new ArrayList<>(), paths);
        String[] path = paths.get(pathPick % paths.size());
        mutate(event, path, mutation, text);
        checkOutcome(normalizer.normalize(event));
    }

    @Property(tries = 200, seed = "20261125")
    void truncatedInput_isReportedAsInvalidJson(@ForAll @IntRange(min = 0, max = 1000) int file,
                                                @ForAll @IntRange(min = 1, max = 99) int percent) throws Exception {
        byte[] all = java.nio.file.Files.readAllBytes(FILES.get(file % FILES.size()));
        byte[] cut = java.util.Arrays.copyOf(all, all.length * percent / 100);
        for (EventInput.Item item : new EventInput(MAPPER).readAll(cut)) {
            if (item.ok()) {
                checkOutcome(normalizer.normalize(item.event()));
            } else {
                assertThat(item.error()).startsWith("invalid JSON");
            }
        }
    }

    private static void checkOutcome(Normalization n) {
        if (n instanceof Normalization.Normalized ok) {
            RunEvent e = ok.event();
            assertThat(e.eventId()).isNotBlank();
            assertThat(e.job().jobName()).isNotBlank();
            assertThat(e.job().account()).matches("\\d{12}");
            assertThat(e.sourceState()).isNotBlank();
            if (e.error() != null) {
                assertThat(e.error().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
            }
        } else if (n instanceof Normalization.Rejected r) {
            assertThat(r.field()).isNotBlank();
            assertThat(r.expected()).isNotBlank();
            assertThat(r.found()).isNotBlank();
        } else {
            // A type Jobwatch does not follow, or a followed type's event that is not a run (with the reason).
            assertThat(((Normalization.Unsupported) n).message()).matches("(?s)(unsupported event|not a job run): source=.*");
        }
    }

    private static void collect(JsonNode node, List<String> prefix, List<String[]> out) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                List<String> p = new ArrayList<>(prefix);
                p.add(name);
                out.add(p.toArray(String[]::new));
                collect(node.get(name), p, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                List<String> p = new ArrayList<>(prefix);
                p.add("#" + i);
                out.add(p.toArray(String[]::new));
                collect(node.get(i), p, out);
            }
        }
    }

    private static void mutate(ObjectNode root, String[] path, int mutation, String text) {
        JsonNode parent = root;
        for (int i = 0; i < path.length - 1; i++) {
            parent = path[i].startsWith("#") ? parent.get(Integer.parseInt(path[i].substring(1))) : parent.get(path[i]);
        }
        String last = path[path.length - 1];
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonNode replacement = switch (mutation) {
            case 0 -> null; // drop the field
            case 1 -> f.numberNode(-42L);
            case 2 -> f.booleanNode(true);
            case 3 -> f.arrayNode().add(text);
            case 4 -> f.nullNode();
            case 5 -> f.textNode(text.repeat(2000)); // huge
            case 6 -> f.textNode("\u202e" + text + "😀\u0000"); // unicode, RTL override, NUL
            default -> f.objectNode().put("x", text);
        };
        if (parent instanceof ObjectNode o) {
            if (replacement == null) {
                o.remove(last);
            } else {
                o.set(last, replacement);
            }
        } else if (parent instanceof ArrayNode a) {
            int idx = Integer.parseInt(last.substring(1));
            if (replacement == null) {
                a.remove(idx);
            } else {
                a.set(idx, replacement);
            }
        }
    }
}
