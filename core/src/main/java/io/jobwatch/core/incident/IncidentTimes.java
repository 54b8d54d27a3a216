package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;
import java.time.Instant;

/**
 * Told when an incident opens (or reopens) and when it is resolved, in run time: the daily rollups count the minutes
 * incidents are open (time to resolve) from this. Calls may repeat; a listener is idempotent.
 */
public interface IncidentTimes {
    IncidentTimes NONE = new IncidentTimes() {
        @Override
        public void incidentOpened(JobKey job, String kind, Instant incident, Instant since) {
        }

        @Override
        public void incidentResolved(JobKey job, String kind, Instant incident, Instant until) {
        }
    };

    /** The rollups' incident time (store may not depend on incident: this package adapts). */
    static IncidentTimes of(io.jobwatch.core.store.Rollups rollups) {
        return new IncidentTimes() {
            @Override
            public void incidentOpened(JobKey job, String kind, Instant incident, Instant since) {
                rollups.incidentOpened(job, kind, incident, since);
            }

            @Override
            public void incidentResolved(JobKey job, String kind, Instant incident, Instant until) {
                rollups.incidentResolved(job, kind, incident, until);
            }
        };
    }

    /** @param incident the incident's identity among the job's ({@link IncidentRecord#openedAt()}) */
    void incidentOpened(JobKey job, String kind, Instant incident, Instant since);

    void incidentResolved(JobKey job, String kind, Instant incident, Instant until);

    /** Tells the listener what a saved decision's action means for the open time. */
    static void tell(IncidentTimes times, IncidentDecision d) {
        if (d.action() == null || d.record() == null) {
            return;
        }
        IncidentRecord r = d.record();
        IncidentAction a = d.action();
        if (a instanceof IncidentAction.Open || a instanceof IncidentAction.Reopen) {
            times.incidentOpened(r.job(), r.kind().name(), r.openedAt(), a.at());
        } else if (a instanceof IncidentAction.Resolve) {
            times.incidentResolved(r.job(), r.kind().name(), r.openedAt(), a.at());
        }
    }
}
