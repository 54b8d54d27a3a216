package io.jobwatch.cli;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.sla.Breach;
import io.jobwatch.core.sla.Confidence;
import io.jobwatch.core.sla.SlaCheck;
import io.jobwatch.core.sla.SlaEngine;
import io.jobwatch.core.store.RunStore;
import io.jobwatch.store.sqlite.SqliteRunStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The demo's last step: the SLA checks at the end of the simulated day, over the demo's SQLite store. */
final class DemoSla {
    private static final int LEARNED_SHOWN = 5;

    private DemoSla() {
    }

    static void print(PrintWriter out, Catalog catalog, Path db, Instant at) {
        List<Breach> breaches;
        try (RunStore store = new SqliteRunStore(db, Clock.systemUTC(), RunStore.DEFAULT_RETENTION)) {
            breaches = new SlaCheck(catalog, store, new SlaEngine()).evaluate(at);
        }
        List<Breach> declared = breaches.stream().filter(b -> b.confidence() == Confidence.HIGH).toList();
        List<Breach> learned = breaches.stream().filter(b -> b.confidence() == Confidence.LOW).toList();
        out.printf("%nSLA check at the end of the day (%s): %d breach(es) of declared expectations, %d of learned"
                + " ones (digest only)%n", at, declared.size(), learned.size());
        for (Breach b : declared) {
            line(out, catalog, b);
        }
        learned.stream().limit(LEARNED_SHOWN).forEach(b -> line(out, catalog, b));
        if (learned.size() > LEARNED_SHOWN) {
            out.printf("  … and %d more learned (./jobwatch sla check --db %s --at %s)%n", learned.size() - LEARNED_SHOWN,
                    db, at);
        }
    }

    private static void line(PrintWriter out, Catalog catalog, Breach b) {
        out.printf("  %-12s %-4s %-9s %-28s %s%n", b.kind(), b.confidence(),
                catalog.systemOf(b.job().account()).orElse(b.job().account()), b.job().jobName(), b.detail());
    }
}
