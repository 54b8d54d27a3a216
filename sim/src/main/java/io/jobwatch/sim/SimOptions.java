package io.jobwatch.sim;

/**
 * How the simulated world behaves.
 *
 * @param seed          makes every run of the simulator produce the same events
 * @param scale         multiplies the number of jobs (1 = the seed's ~507 jobs and ~1,500 events a day)
 * @param failureRate   base probability that a run fails
 * @param duplicateRate probability that an event is delivered twice (EventBridge delivers at least once)
 * @param reorderRate   probability that an event's delivery is delayed past later events
 * @param scenarios     add the demo's special jobs: a flapping one, a broken one, one that never runs, a long runner
 */
public record SimOptions(long seed, int scale, double failureRate, double duplicateRate, double reorderRate,
                         boolean scenarios) {

    public static SimOptions defaults() {
        return new SimOptions(42L, 1, 0.05, 0.0, 0.0, true);
    }

    public SimOptions withSeed(long s) {
        return new SimOptions(s, scale, failureRate, duplicateRate, reorderRate, scenarios);
    }

    public SimOptions withScale(int s) {
        return new SimOptions(seed, s, failureRate, duplicateRate, reorderRate, scenarios);
    }

    public SimOptions withDelivery(double duplicates, double reorder) {
        return new SimOptions(seed, scale, failureRate, duplicates, reorder, scenarios);
    }

    public SimOptions withScenarios(boolean on) {
        return new SimOptions(seed, scale, failureRate, duplicateRate, reorderRate, on);
    }
}
