package io.jobwatch.core.sla;

/** How sure the SLA checks are about a breach. */
public enum Confidence {
    /** Against an expectation the catalog declares (schedule, deadline, max/min duration). */
    HIGH,
    /** Against an expectation learned from the job's history (cadence, usual duration): never pages unless enabled. */
    LOW
}
