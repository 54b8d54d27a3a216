package io.jobwatch.reconcile.aws;

import io.jobwatch.core.reconcile.ObservedRun;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.RunSourceException;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.GetJobRunsResponse;
import software.amazon.awssdk.services.glue.model.GetJobsResponse;
import software.amazon.awssdk.services.glue.model.Job;
import software.amazon.awssdk.services.glue.model.JobRun;

/**
 * Glue job runs through {@code GetJobRuns} (one listing per job, newest first); the jobs come from the scope, else from
 * {@code GetJobs}. The run id is the JobRunId and the job the job name, exactly as the Glue events carry them.
 */
public final class GlueJobRunSource implements RunSource {
    private final AwsClients clients;
    private final ListingBounds bounds;

    public GlueJobRunSource(AwsClients clients, ListingBounds bounds) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.GLUE_JOB;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        GlueClient glue = clients.glue(scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        List<String> jobs = scope.allJobs() ? jobNames(glue, scope) : scope.jobNames();
        for (String name : jobs) {
            try {
                if (!runsOf(glue, scope, name, since, limit, out)) {
                    break;
                }
            } catch (EntityNotFoundException e) {
                // A job the catalog names but the account no longer has: nothing ran.
            } catch (SdkException e) {
                throw new RunSourceException("Glue GetJobRuns for job '" + name + "' in " + scope.account() + "/"
                        + scope.region() + " failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** Adds the job's runs in the window; false once {@code limit} runs were collected. */
    private boolean runsOf(GlueClient glue, Scope scope, String name, Instant since, int limit, List<ObservedRun> out) {
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.GLUE_JOB, name);
        Iterator<GetJobRunsResponse> pages = glue.getJobRunsPaginator(r -> r.jobName(name).maxResults(
                Math.min(bounds.pageSize(), 200))).iterator();
        for (int page = 0; page < bounds.maxPagesPerList() && pages.hasNext(); page++) {
            boolean anyInWindow = false;
            for (JobRun run : pages.next().jobRuns()) {
                String state = run.jobRunStateAsString();
                if (state == null || run.id() == null) {
                    continue;
                }
                if (!Window.covers(since, run.startedOn(), run.completedOn(), RunState.fromSourceState(state).terminal())) {
                    continue;
                }
                anyInWindow = true;
                out.add(new ObservedRun(job, run.id(), state, run.startedOn(), run.completedOn(), run.errorMessage()));
                if (out.size() >= limit) {
                    return false;
                }
            }
            if (!anyInWindow) {
                break; // newest first: a page with nothing in the window means the rest is older
            }
        }
        return true;
    }

    private List<String> jobNames(GlueClient glue, Scope scope) {
        List<String> names = new ArrayList<>();
        try {
            Iterator<GetJobsResponse> pages = glue.getJobsPaginator(r -> r.maxResults(Math.min(bounds.pageSize(), 1000)))
                    .iterator();
            for (int page = 0; page < bounds.maxPagesPerList() && pages.hasNext(); page++) {
                for (Job j : pages.next().jobs()) {
                    names.add(j.name());
                }
            }
        } catch (SdkException e) {
            throw new RunSourceException("Glue GetJobs in " + scope.account() + "/" + scope.region() + " failed: "
                    + e.getMessage(), e);
        }
        return names;
    }
}
