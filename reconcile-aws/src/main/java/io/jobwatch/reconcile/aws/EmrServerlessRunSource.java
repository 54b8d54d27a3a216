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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * EMR Serverless job runs through {@code ListJobRuns} per application (REST-JSON, {@code GET
 * /applications/{applicationId}/jobruns?createdAtAfter=…}) over {@link SignedJsonClient}. As in the normalizer, the
 * job is {@code applicationId/jobRunName} (the application alone for unnamed runs), the run the jobRunId, the start
 * createdAt and, once finished, the end updatedAt. The applications come from the scope's job names (an application
 * id alone asks about every run of the application), else from the known jobs: the role may not list applications.
 */
public final class EmrServerlessRunSource implements RunSource {
    private static final StateMap STATES = Sources.of(JobSource.EMR_SERVERLESS).states();
    static final AwsService SERVICE = AwsService.of("emr-serverless", "EMR Serverless");
    private final MemberClients clients;
    private final ListingBounds bounds;
    private final KnownJobs knownJobs;

    public EmrServerlessRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
        this.knownJobs = Objects.requireNonNull(knownJobs, "knownJobs");
    }

    @Override
    public JobSource source() {
        return JobSource.EMR_SERVERLESS;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        List<String> names = scope.allJobs()
                ? knownJobs.jobNames(scope.account(), scope.region(), JobSource.EMR_SERVERLESS) : scope.jobNames();
        if (names.isEmpty()) {
            throw new RunSourceException("EMR Serverless in " + scope.account() + "/" + scope.region() + ": no application"
                    + " to ask about — ListJobRuns needs an application id; name the jobs in the catalog (source"
                    + " emr-serverless, jobName APPLICATION_ID or APPLICATION_ID/JOB_RUN_NAME) or pass --job");
        }
        Set<String> applications = new LinkedHashSet<>();
        for (String n : names) {
            int slash = n.indexOf('/');
            applications.add(slash < 0 ? n : n.substring(0, slash));
        }
        Set<String> wanted = new HashSet<>(scope.jobNames());
        List<ObservedRun> out = new ArrayList<>();
        SignedJsonClient emr = clients.signedJson(SERVICE, scope.account(), scope.region());
        for (String app : applications) {
            try {
                if (!runsOf(emr, scope, app, wanted, since, limit, out)) {
                    break;
                }
            } catch (AwsApiException e) {
                if (e.notFound()) {
                    continue; // an application the catalog names but the account no longer has: nothing ran
                }
                throw new RunSourceException(e.getMessage() + " (application '" + app + "' in " + scope.account() + "/"
                        + scope.region() + ")", e);
            }
        }
        return out;
    }

    /** Adds the application's runs in the window; false once {@code limit} runs were collected. */
    private boolean runsOf(SignedJsonClient emr, Scope scope, String app, Set<String> wanted, Instant since, int limit,
                           List<ObservedRun> out) {
        String path = "/applications/" + SignedJsonClient.pathSegment(app) + "/jobruns";
        String createdAfter = since.minus(Window.LONG_RUN_LOOKBACK).truncatedTo(ChronoUnit.SECONDS).toString();
        String token = null;
        int page = 0;
        do {
            Map<String, String> query = new LinkedHashMap<>();
            query.put("createdAtAfter", createdAfter);
            query.put("maxResults", Integer.toString(Math.min(bounds.pageSize(), 50)));
            query.put("nextToken", token);
            JsonNode response = emr.restGet("ListJobRuns", path, query);
            for (JsonNode r : response.path("jobRuns")) {
                String id = SignedJsonClient.text(r, "id");
                String state = SignedJsonClient.text(r, "state");
                if (id == null || state == null) {
                    continue;
                }
                String runName = SignedJsonClient.text(r, "name");
                String jobName = runName == null ? app : app + "/" + runName;
                if (!(scope.allJobs() || wanted.contains(app) || wanted.contains(jobName))) {
                    continue;
                }
                boolean terminal = STATES.state(state).terminal();
                Instant created = SignedJsonClient.time(r, "createdAt");
                Instant end = terminal ? SignedJsonClient.time(r, "updatedAt") : null;
                if (!Window.covers(since, created, end, terminal)) {
                    continue;
                }
                JobKey job = new JobKey(scope.account(), scope.region(), JobSource.EMR_SERVERLESS, jobName);
                out.add(new ObservedRun(job, id, state, created, end, SignedJsonClient.text(r, "stateDetails")));
                if (out.size() >= limit) {
                    return false;
                }
            }
            token = SignedJsonClient.text(response, "nextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return true;
    }
}
