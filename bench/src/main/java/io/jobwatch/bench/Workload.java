package io.jobwatch.bench;

import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.sim.SimOptions;
import io.jobwatch.sim.Simulator;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated workload every side-by-side figure uses: the seed's estate (~507 jobs × scale, 3 accounts, ~5%
 * failures), 5% duplicate and 5% reordered deliveries, normalized up front (normalizing is measured on its own).
 *
 * @param scale  jobs multiplier ({@link SimOptions#withScale})
 * @param first  first simulated UTC day (a Monday, so 7 days are one ISO week)
 * @param days   simulated days
 * @param jobs   jobs in the estate
 * @param events the normalized events in delivery order
 */
record Workload(int scale, LocalDate first, int days, int jobs, List<RunEvent> events) {
    static final LocalDate FIRST_DAY = LocalDate.parse("2026-03-02");

    static Workload of(int scale, int days) {
        Simulator sim = new Simulator(SimOptions.defaults().withScale(scale).withDelivery(0.05, 0.05));
        EventNormalizer normalizer = new EventNormalizer();
        List<RunEvent> out = new ArrayList<>();
        sim.simulate(FIRST_DAY, days, d -> {
            if (normalizer.normalize(d.event()) instanceof Normalization.Normalized n) {
                out.add(n.event());
            }
        });
        return new Workload(scale, FIRST_DAY, days, sim.jobs().size(), out);
    }

    double eventsPerDay() {
        return (double) events.size() / days;
    }

    LocalDate lastDay() {
        return first.plusDays(days - 1L);
    }

    Workload firstEvents(int n) {
        return new Workload(scale, first, days, jobs, List.copyOf(events.subList(0, Math.min(n, events.size()))));
    }
}
