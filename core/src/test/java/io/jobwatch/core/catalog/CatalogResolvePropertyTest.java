package io.jobwatch.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import software.amazon.event.ruler.Machine;

/** The one-machine, lowest-index resolution gives the same rule as trying each rule's own machine in file order. */
class CatalogResolvePropertyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String[]> ACCOUNTS = Map.of(
            "123456789012", new String[] {"ERP", "prod"},
            "234567890123", new String[] {"FinData", "dev"},
            "345678901234", new String[] {"Analytics", null});
    private static final List<String> ACCOUNT_IDS = List.of("123456789012", "234567890123", "345678901234", "999999999999");
    private static final List<String> REGIONS = List.of("eu-west-1", "us-east-1");
    private static final List<String> NAME_PARTS = List.of("erp", "fin", "ana", "orders", "ledger", "load", "x");

    @Property(tries = 150)
    void resolve_agreesWithANaiveLinearMatcher(@ForAll("patterns") List<ObjectNode> patterns,
                                               @ForAll("jobs") List<JobKey> jobs) throws Exception {
        // The generated rules must really exercise first-match-wins, not just fall through to the defaults.
        Statistics.coverage(c -> {
            c.check("later rule").percentage(p -> p > 10);
            c.check("defaults").percentage(p -> p > 10);
        });
        StringBuilder yaml = new StringBuilder("""
                accounts:
                  "123456789012": {system: ERP, environment: prod}
                  "234567890123": {system: FinData, environment: dev}
                  "345678901234": {system: Analytics}
                jobs:
                """);
        List<Machine> single = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            String json = JSON.writeValueAsString(patterns.get(i));
            yaml.append("  - name: r").append(i).append("\n    match: ").append(json).append('\n');
            Machine m = Machine.builder().build();
            m.addRule("r" + i, json);
            single.add(m);
        }
        Catalog catalog = CatalogTestSupport.loaded(yaml.toString());

        for (JobKey job : jobs) {
            String event = JSON.writeValueAsString(event(job));
            int expected = -1;
            for (int i = 0; i < single.size() && expected < 0; i++) {
                if (!single.get(i).rulesForJSONEvent(event).isEmpty()) {
                    expected = i;
                }
            }
            assertThat(catalog.resolve(job).ruleIndex()).as(job + " against " + patterns).isEqualTo(expected);
            Statistics.collect(expected < 0 ? "defaults" : expected == 0 ? "first rule" : "later rule");
            // Warm (cached) answers agree too.
            assertThat(catalog.resolve(job).ruleIndex()).isEqualTo(expected);
        }
    }

    private static ObjectNode event(JobKey job) {
        ObjectNode e = JSON.createObjectNode();
        e.put("source", job.source().id()).put("account", job.account()).put("region", job.region())
                .put("jobName", job.jobName());
        String[] sys = ACCOUNTS.get(job.account());
        if (sys != null) {
            e.put("system", sys[0]);
            if (sys[1] != null) {
                e.put("environment", sys[1]);
            }
        }
        return e;
    }

    @Provide
    Arbitrary<List<JobKey>> jobs() {
        Arbitrary<String> name = Arbitraries.of(NAME_PARTS).list().ofMinSize(1).ofMaxSize(3).map(l -> String.join("-", l));
        return Combinators.combine(Arbitraries.of(ACCOUNT_IDS), Arbitraries.of(REGIONS), Arbitraries.of(JobSource.class), name)
                .as(JobKey::new).list().ofMinSize(1).ofMaxSize(25);
    }

    @Provide
    Arbitrary<List<ObjectNode>> patterns() {
        return pattern().list().ofMinSize(1).ofMaxSize(25);
    }

    private Arbitrary<ObjectNode> pattern() {
        Arbitrary<String[]> field = Arbitraries.oneOf(
                values("source", Arbitraries.of(JobSource.class).map(JobSource::id)),
                values("account", Arbitraries.of(ACCOUNT_IDS)),
                values("region", Arbitraries.of(REGIONS)),
                values("system", Arbitraries.of("ERP", "FinData", "Analytics", "Other")),
                values("environment", Arbitraries.of("prod", "dev")),
                values("jobName", Arbitraries.of(NAME_PARTS).map(p -> p + "-")));
        return field.list().ofMinSize(1).ofMaxSize(3).flatMap(fields -> {
            return matcherFor(fields).map(list -> {
                ObjectNode p = JSON.createObjectNode();
                for (int i = 0; i < fields.size(); i++) {
                    p.set(fields.get(i)[0], list.get(i));
                }
                return p;
            });
        });
    }

    /** [field, value] pairs. */
    private static Arbitrary<String[]> values(String field, Arbitrary<String> value) {
        return value.map(v -> new String[] {field, v});
    }

    /** One matcher list per field: exact values, prefix, suffix, anything-but, exists, equals-ignore-case, wildcard. */
    private static Arbitrary<List<ArrayNode>> matcherFor(List<String[]> fields) {
        List<Arbitrary<ArrayNode>> each = new ArrayList<>();
        for (String[] f : fields) {
            String v = f[1];
            each.add(Arbitraries.integers().between(0, 6).map(kind -> {
                ArrayNode a = JSON.createArrayNode();
                switch (kind) {
                    case 0 -> a.add(v);
                    case 1 -> a.addObject().put("prefix", v.length() > 2 ? v.substring(0, 2) : v);
                    case 2 -> a.addObject().put("suffix", v.substring(v.length() / 2));
                    case 3 -> a.addObject().putArray("anything-but").add(v);
                    case 4 -> a.addObject().put("exists", v.length() % 2 == 0);
                    case 5 -> a.addObject().put("equals-ignore-case", v.toUpperCase(java.util.Locale.ROOT));
                    default -> a.addObject().put("wildcard", "*" + v.substring(0, 1) + "*");
                }
                return a;
            }));
        }
        return Combinators.combine(each).as(list -> list);
    }
}
