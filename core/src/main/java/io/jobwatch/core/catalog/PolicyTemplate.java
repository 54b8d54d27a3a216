package io.jobwatch.core.catalog;

import io.jobwatch.core.run.JobKey;
import java.util.List;
import java.util.Optional;

/** A rule (or the defaults) with every inherited value filled in; only the account-derived parts are missing. */
record PolicyTemplate(String ruleName, int ruleIndex, Team team, Criticality criticality, JobIncidentPolicy incident,
                      boolean inDigest, Expectations expectations, List<MaintenanceWindow> maintenance) {

    JobPolicy forJob(JobKey job, String system, Optional<String> environment) {
        return new JobPolicy(job, ruleName, ruleIndex, system, environment, team, criticality, incident, inDigest,
                expectations, maintenance);
    }
}
