package io.jobwatch.core.catalog;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the catalog says about one job: who owns it and what is expected of it.
 *
 * @param job         the job
 * @param ruleName    the name of the first rule that matched, or {@code "defaults"}
 * @param ruleIndex   that rule's position in {@code jobs} (0-based), or -1 for the defaults
 * @param system      the account's system (ERP …), or the account id when the catalog does not list the account
 * @param environment the account's environment (prod, dev …) when given
 * @param team        the owning team ({@link Team#UNOWNED} when nothing assigns one)
 * @param criticality how much the job matters
 * @param incident    when and how loudly it pages
 * @param inDigest    whether digests list the job
 * @param expectations what its runs should look like (SLA)
 * @param maintenance when its problems are expected
 */
public record JobPolicy(JobKey job, String ruleName, int ruleIndex, String system, Optional<String> environment,
                        Team team, Criticality criticality, JobIncidentPolicy incident, boolean inDigest,
                        Expectations expectations, List<MaintenanceWindow> maintenance) {

    public static final String DEFAULTS = "defaults";

    public JobPolicy {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(ruleName, "ruleName");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(criticality, "criticality");
        Objects.requireNonNull(incident, "incident");
        Objects.requireNonNull(expectations, "expectations");
        maintenance = List.copyOf(maintenance);
    }

    /** True when a rule matched (false: only the defaults apply). */
    public boolean matchedRule() {
        return ruleIndex >= 0;
    }

    /** True when {@code at} is inside one of the job's maintenance windows. */
    public boolean inMaintenance(Instant at) {
        for (MaintenanceWindow w : maintenance) {
            if (w.covers(at)) {
                return true;
            }
        }
        return false;
    }
}
