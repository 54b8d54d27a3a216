package io.jobwatch.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobwatch.core.normalize.EventNormalizer;
import io.jobwatch.core.normalize.Normalization;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatorTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    @Test
    void aDay_hasTheSeedsVolume_inEverySource_andEveryEventNormalizes() {
        Simulator sim = new Simulator(SimOptions.defaults());
        List<Simulator.Delivery> day = sim.simulate(DAY, 1);
        assertThat(sim.jobs()).hasSize(507);
        assertThat(day).hasSizeBetween(1_300, 1_800);

        EventNormalizer n = new EventNormalizer();
        Set<JobSource> sources = EnumSet.noneOf(JobSource.class);
        Set<String> accounts = new HashSet<>();
        int terminal = 0;
        int failed = 0;
        for (Simulator.Delivery d : day) {
            Normalization r = n.normalize(d.event());
            assertThat(r).as(d.event().toString()).isInstanceOf(Normalization.Normalized.class);
            RunEvent e = ((Normalization.Normalized) r).event();
            sources.add(e.job().source());
            accounts.add(e.job().account());
            if (e.terminal()) {
                terminal++;
                failed += e.failed() ? 1 : 0;
            }
        }
        assertThat(sources).containsExactlyInAnyOrderElementsOf(
                io.jobwatch.core.source.Sources.eventBridge().stream().map(d -> d.source()).toList());
        assertThat(accounts).containsExactlyInAnyOrderElementsOf(Simulator.ACCOUNTS.keySet());
        double failureShare = (double) failed / terminal;
        assertThat(failureShare).isBetween(0.02, 0.15);
    }

    @Test
    void sameSeed_sameEvents_otherSeed_otherEvents() {
        List<Simulator.Delivery> a = new Simulator(SimOptions.defaults()).simulate(DAY, 1);
        List<Simulator.Delivery> b = new Simulator(SimOptions.defaults()).simulate(DAY, 1);
        List<Simulator.Delivery> c = new Simulator(SimOptions.defaults().withSeed(7)).simulate(DAY, 1);
        assertThat(a).isEqualTo(b);
        assertThat(a).isNotEqualTo(c);
    }

    @Test
    void deliveries_comeInTimeOrder_andDuplicatesKeepTheirEventId() {
        List<Simulator.Delivery> week = new Simulator(SimOptions.defaults().withDelivery(0.05, 0.05))
                .simulate(DAY, 7);
        for (int i = 1; i < week.size(); i++) {
            assertThat(week.get(i).deliveredAt()).isAfterOrEqualTo(week.get(i - 1).deliveredAt());
        }
        long distinct = week.stream().map(d -> d.event().get("id").asText()).distinct().count();
        assertThat(distinct).isLessThan(week.size()).isGreaterThan(week.size() * 90L / 100);
    }

    @Test
    void neverRunningJob_emitsNothing() {
        Simulator sim = new Simulator(SimOptions.defaults());
        String name = "fin-close-reconciliation";
        assertThat(sim.jobs()).anyMatch(j -> j.key().jobName().equals(name));
        assertThat(sim.simulate(DAY, 2)).noneMatch(d -> d.event().toString().contains(name));
    }
}
