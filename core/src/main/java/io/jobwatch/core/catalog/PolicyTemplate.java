package io.jobwatch.core.catalog;

import io.jobwatch.core.run.JobKey;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A rule (or the defaults) with every inherited value filled in; only the account-derived parts are missing.
 *
 * @param ruleZone     the rule's own {@code expectations.timezone}, or null
 * @param fallbackZone the zone expectations are read in when neither the rule nor the team names one
 */
record PolicyTemplate(String ruleName, int ruleIndex, Team team, Criticality criticality, JobIncidentPolicy incident,
                      boolean inDigest, Expectations expectations, List<MaintenanceWindow> maintenance,
                      ZoneId ruleZone, ZoneId fallbackZone) {

    JobPolicy forJob(JobKey job, String system, Optional<String> environment) {
        return new JobPolicy(job, ruleName, ruleIndex, system, environment, team, criticality, incident, inDigest,
                expectations, maintenance);
    }

    /**
     * The policy of a job whose team is given by the key that reported it (a pinged job): that team instead of the
     * rule's, and its time zone for the expectations unless the rule names one.
     *
     * @param teamZone the team's own {@code timezone}, or null
     */
    JobPolicy forJobOf(Team owner, ZoneId teamZone, JobKey job, String system, Optional<String> environment) {
        ZoneId zone = ruleZone != null ? ruleZone : teamZone != null ? teamZone : fallbackZone;
        Expectations e = expectations;
        Expectations inZone = new Expectations(e.schedule(), zone, e.deadline(), e.grace(), e.maxDuration(),
                e.minDuration(), e.learned(), e.pageOnLearned());
        return new JobPolicy(job, ruleName, ruleIndex, system, environment, owner, criticality, incident, inDigest,
                inZone, maintenance);
    }
}
