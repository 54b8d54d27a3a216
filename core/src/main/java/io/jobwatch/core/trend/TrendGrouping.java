package io.jobwatch.core.trend;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.run.JobKey;
import java.util.Locale;

/** What trend rows are grouped by: the job's system or team (from the catalog), or the job itself (its name). */
public enum TrendGrouping {
    SYSTEM, TEAM, JOB;

    /** The group a job belongs to (without a catalog: its account, and the unowned team). */
    public String groupOf(JobKey job, Catalog catalog) {
        return switch (this) {
            case SYSTEM -> systemOf(job, catalog);
            case TEAM -> catalog == null ? Team.UNOWNED : catalog.resolve(job).team().name();
            case JOB -> job.jobName();
        };
    }

    static String systemOf(JobKey job, Catalog catalog) {
        return catalog == null ? job.account() : catalog.resolve(job).system();
    }

    /** {@code system}, {@code team} or {@code job}, case-insensitive; a clear error otherwise. */
    public static TrendGrouping parse(String text) {
        for (TrendGrouping g : values()) {
            if (g.name().equalsIgnoreCase(text.trim())) {
                return g;
            }
        }
        throw new IllegalArgumentException("--by " + text + ": expected system, team or job");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
