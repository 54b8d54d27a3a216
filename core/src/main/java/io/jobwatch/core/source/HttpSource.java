package io.jobwatch.core.source;

import io.jobwatch.core.run.JobSource;

/**
 * A source that reaches Jobwatch over its own HTTP endpoints instead of EventBridge: Healthchecks-style pings from
 * crontabs and scripts, OpenLineage run events from Airflow, dbt, Spark. Such a source has, on purpose, no EventBridge
 * pattern, no reconcile lister (nothing to list: a missed ping is what the SLA engine's expectations catch), no
 * member-account IAM actions and no AWS console page. Its jobs have no AWS region (the empty string); what the
 * {@link io.jobwatch.core.run.JobKey#account() account} part holds is the source's to say ({@link #accountIs()}).
 */
public abstract non-sealed class HttpSource extends SourceDescriptor {

    protected HttpSource(JobSource source) {
        super(source);
    }

    /** The endpoint, as its documentation writes it, e.g. {@code POST /api/v1/lineage}. */
    public abstract String endpoint();

    /** What a request must present to be stored (a key), for help texts. */
    public abstract String authentication();

    /** What the job key's account part holds for this source's jobs, for help texts (e.g. "the team"). */
    public abstract String accountIs();

    /**
     * True when the job belongs to the team whose key sent it: the job key's account part is that team's name, and
     * the catalog's rules choose everything else (criticality, expectations …) but not the team.
     */
    public boolean ownedByKeyTeam() {
        return false;
    }
}
