package io.jobwatch.reconcile.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.reconcile.ObservedRun;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.RunSourceException;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.source.Sources;
import io.jobwatch.core.source.StateMap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Glue job runs through {@code GetJobRuns} (one listing per job, newest first); the jobs come from the scope, else from
 * {@code GetJobs}. AWS JSON 1.1 ({@code X-Amz-Target: AWSGlue.*}, {@code NextToken}, times in epoch seconds) over
 * {@link SignedJsonClient}. The run id is the JobRunId and the job the job name, exactly as the Glue events carry them.
 */
public final class GlueJobRunSource implements RunSource {
    private static final StateMap STATES = Sources.of(JobSource.GLUE_JOB).states();
    static final AwsService SERVICE = AwsService.of("glue", "Glue");
    static final String TARGET_PREFIX = "AWSGlue";

    private final MemberClients clients;
    private final ListingBounds bounds;

    public GlueJobRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.GLUE_JOB;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SignedJsonClient glue = clients.signedJson(SERVICE, scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        List<String> jobs = scope.allJobs() ? jobNames(glue, scope) : scope.jobNames();
        for (String name : jobs) {
            try {
                if (!runsOf(glue, scope, name, since, limit, out)) {
                    break;
                }
            } catch (AwsApiException e) {
                if (e.notFound()) {
                    continue; // a job the catalog names but the account no longer has: nothing ran
                }
                throw new RunSourceException(e.getMessage() + " (job '" + name + "' in " + scope.account() + "/"
                        + scope.region() + ")", e);
            }
        }
        return out;
    }

    /** Adds the job's runs in the window; false once {@code limit} runs were collected. */
    private boolean runsOf(SignedJsonClient glue, Scope scope, String name, Instant since, int limit,
                           List<ObservedRun> out) {
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.GLUE_JOB, name);
        String token = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("JobName", name)
                    .put("MaxResults", Math.min(bounds.pageSize(), 200));
            if (token != null) {
                request.put("NextToken", token);
            }
            JsonNode response = glue.json11(TARGET_PREFIX, "GetJobRuns", request);
            boolean anyInWindow = false;
            for (JsonNode run : response.path("JobRuns")) {
                String id = SignedJsonClient.text(run, "Id");
                String state = SignedJsonClient.text(run, "JobRunState");
                if (state == null || id == null) {
                    continue;
                }
                Instant started = SignedJsonClient.time(run, "StartedOn");
                Instant completed = SignedJsonClient.time(run, "CompletedOn");
                if (!Window.covers(since, started, completed, STATES.state(state).terminal())) {
                    continue;
                }
                anyInWindow = true;
                out.add(new ObservedRun(job, id, state, started, completed, SignedJsonClient.text(run, "ErrorMessage")));
                if (out.size() >= limit) {
                    return false;
                }
            }
            if (!anyInWindow) {
                break; // newest first: a page with nothing in the window means the rest is older
            }
            token = SignedJsonClient.text(response, "NextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return true;
    }

    private List<String> jobNames(SignedJsonClient glue, Scope scope) {
        List<String> names = new ArrayList<>();
        String token = null;
        int page = 0;
        try {
            do {
                ObjectNode request = SignedJsonClient.JSON.createObjectNode()
                        .put("MaxResults", Math.min(bounds.pageSize(), 1000));
                if (token != null) {
                    request.put("NextToken", token);
                }
                JsonNode response = glue.json11(TARGET_PREFIX, "GetJobs", request);
                for (JsonNode j : response.path("Jobs")) {
                    String name = SignedJsonClient.text(j, "Name");
                    if (name != null) {
                        names.add(name);
                    }
                }
                token = SignedJsonClient.text(response, "NextToken");
                page++;
            } while (token != null && page < bounds.maxPagesPerList());
        } catch (AwsApiException e) {
            throw new RunSourceException(e.getMessage() + " (" + scope.account() + "/" + scope.region() + ")", e);
        }
        return names;
    }
}
