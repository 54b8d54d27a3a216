package io.jobwatch.core.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package of core depends, directly or not, on a package that depends on it: the packages form layers (run at the
 * bottom; source, normalize, catalog, store …; digest, sla, incident, reconcile above). Read from the sources' imports
 * and fully qualified references, so it needs no bytecode tool.
 */
class PackageCyclesTest {
    private static final Pattern REFERENCE = Pattern.compile("\\bio\\.jobwatch\\.core\\.([a-z]+)\\.[A-Z]");

    @Test
    void corePackages_haveNoCycles() throws IOException {
        Path main = Fixtures.repoRoot().resolve("core/src/main/java/io/jobwatch/core");
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = main.relativize(f.getParent()).toString().replace('/', '.');
                Set<String> out = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                // Code only: a comment naming another package is no dependency.
                String code = Files.readString(f).lines().filter(l -> !l.strip().startsWith("*")
                        && !l.strip().startsWith("/*") && !l.strip().startsWith("//")).reduce("", (a, b) -> a + "\n" + b);
                Matcher m = REFERENCE.matcher(code);
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        out.add(m.group(1));
                    }
                }
            }
        }
        assertThat(uses).isNotEmpty();
        List<Set<String>> cycles = stronglyConnected(uses).stream().filter(c -> c.size() > 1).toList();
        assertThat(cycles).as("package cycles in core (dependencies: %s)", uses).isEmpty();
    }

    /** Tarjan's strongly connected components. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> out = new ArrayList<>();
        int[] next = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, onStack, out, next);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> out, int[] next) {
        index.put(v, next[0]);
        low.put(v, next[0]);
        next[0]++;
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, next);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }
}
