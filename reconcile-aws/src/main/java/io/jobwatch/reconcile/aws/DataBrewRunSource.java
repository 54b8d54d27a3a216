package io.jobwatch.reconcile.aws;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Glue DataBrew job runs through {@code ListJobs} (or the scope's job names), then {@code ListJobRuns} per job:
 * REST-JSON ({@code GET /jobs}, {@code GET /jobs/{name}/jobRuns}, {@code nextToken}, times in epoch seconds) over
 * {@link SignedJsonClient}. As in the normalizer, the job is the job name and the run the RunId; the listing adds what
 * DataBrew's events lack: the start (StartedOn), the end (CompletedOn) and runs still going.
 */
public final class DataBrewRunSource implements RunSource {
    static final AwsService SERVICE = AwsService.of("databrew", "DataBrew");
    private static final StateMap STATES = Sources.of(JobSource.DATABREW).states();

    private final MemberClients clients;
    private final ListingBounds bounds;

    public DataBrewRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.DATABREW;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SignedJsonClient brew = clients.signedJson(SERVICE, scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        List<String> jobs;
        try {
            jobs = scope.allJobs() ? jobNames(brew) : scope.jobNames();
        } catch (AwsApiException e) {
            throw new RunSourceException(e.getMessage() + " (" + scope.account() + "/" + scope.region() + ")", e);
        }
        for (String name : jobs) {
            try {
                if (!runsOf(brew, scope, name, since, limit, out)) {
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

    private List<String> jobNames(SignedJsonClient brew) {
        List<String> out = new ArrayList<>();
        String token = null;
        int page = 0;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("maxResults", Integer.toString(Math.min(bounds.pageSize(), 100)));
            query.put("nextToken", token);
            JsonNode response = brew.restGet("ListJobs", "/jobs", query);
            for (JsonNode j : response.path("Jobs")) {
                String name = SignedJsonClient.text(j, "Name");
                if (name != null) {
                    out.add(name);
                }
            }
            token = SignedJsonClient.text(response, "NextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return out;
    }

    private boolean runsOf(SignedJsonClient brew, Scope scope, String name, Instant since, int limit,
                           List<ObservedRun> out) {
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.DATABREW, name);
        String token = null;
        int page = 0;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("maxResults", Integer.toString(Math.min(bounds.pageSize(), 100)));
            query.put("nextToken", token);
            JsonNode response = brew.restGet("ListJobRuns", "/jobs/" + SignedJsonClient.pathSegment(name) + "/jobRuns", query);
            boolean anyInWindow = false;
            for (JsonNode r : response.path("JobRuns")) {
                String id = SignedJsonClient.text(r, "RunId");
                String state = SignedJsonClient.text(r, "State");
                if (id == null || state == null) {
                    continue;
                }
                boolean terminal = STATES.state(state).terminal();
                Instant start = SignedJsonClient.time(r, "StartedOn");
                Instant end = terminal ? SignedJsonClient.time(r, "CompletedOn") : null;
                if (!Window.covers(since, start, end, terminal)) {
                    continue;
                }
                anyInWindow = true;
                out.add(new ObservedRun(job, id, state, start, end, SignedJsonClient.text(r, "ErrorMessage")));
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
}
