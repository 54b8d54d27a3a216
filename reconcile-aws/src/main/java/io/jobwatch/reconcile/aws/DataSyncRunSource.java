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
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DataSync task executions through {@code ListTaskExecutions} (per task, or for the whole account when the scope names
 * no task) and {@code DescribeTaskExecution} per execution, for its status, start, end and error: the listing carries
 * only the ARN and status. AWS JSON 1.1 ({@code X-Amz-Target: FmrsService.*}) over {@link SignedJsonClient}. The job is
 * the {@code task-…} id and the run the execution ARN, as the DataSync normalizer takes them from the event's
 * resources. The listing documents no order, so every listed execution (within the page bound) is described and the
 * window applied on its StartTime/EndTime.
 */
public final class DataSyncRunSource implements RunSource {
    private static final StateMap STATES = Sources.of(JobSource.DATASYNC).states();
    static final AwsService SERVICE = AwsService.of("datasync", "DataSync");
    static final String TARGET_PREFIX = "FmrsService";
    private static final Pattern EXECUTION =
            Pattern.compile("arn:[^:]+:datasync:[^:]*:[^:]*:task/(task-[0-9a-zA-Z]+)/execution/exec-[0-9a-zA-Z]+");

    private final MemberClients clients;
    private final ListingBounds bounds;

    public DataSyncRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.DATASYNC;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SignedJsonClient datasync = clients.signedJson(SERVICE, scope.account(), scope.region());
        Set<String> wanted = new HashSet<>(scope.jobNames());
        Set<String> executions = new LinkedHashSet<>();
        if (scope.allJobs()) {
            list(datasync, scope, null, executions);
        } else {
            for (String task : scope.jobNames()) {
                list(datasync, scope, task, executions);
            }
        }
        List<ObservedRun> out = new ArrayList<>();
        for (String arn : executions) {
            Matcher m = EXECUTION.matcher(arn);
            if (!m.matches() || !(scope.allJobs() || wanted.contains(m.group(1)))) {
                continue;
            }
            ObservedRun run = describe(datasync, scope, m.group(1), arn, since);
            if (run != null) {
                out.add(run);
                if (out.size() >= limit) {
                    break;
                }
            }
        }
        return out;
    }

    /** Adds the execution ARNs of one task (or of the account, {@code task} null), at most the listing bound. */
    private void list(SignedJsonClient datasync, Scope scope, String task, Set<String> out) {
        String token = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode();
            if (task != null) {
                request.put("TaskArn", "arn:" + clients.partition() + ":datasync:" + scope.region() + ":"
                        + scope.account() + ":task/" + task);
            }
            request.put("MaxResults", Math.min(bounds.pageSize(), 100));
            if (token != null) {
                request.put("NextToken", token);
            }
            JsonNode response;
            try {
                response = datasync.json11(TARGET_PREFIX, "ListTaskExecutions", request);
            } catch (AwsApiException e) {
                throw new RunSourceException(e.getMessage() + " (" + (task == null ? "all tasks" : "task '" + task + "'")
                        + " in " + scope.account() + "/" + scope.region() + ")", e);
            }
            for (JsonNode e : response.path("TaskExecutions")) {
                String arn = SignedJsonClient.text(e, "TaskExecutionArn");
                if (arn != null) {
                    out.add(arn);
                }
            }
            token = SignedJsonClient.text(response, "NextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
    }

    private ObservedRun describe(SignedJsonClient datasync, Scope scope, String task, String arn, Instant since) {
        ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("TaskExecutionArn", arn);
        JsonNode d;
        String status;
        Instant start;
        Instant end;
        boolean terminal;
        try {
            d = datasync.json11(TARGET_PREFIX, "DescribeTaskExecution", request);
            status = SignedJsonClient.text(d, "Status");
            if (status == null) {
                return null;
            }
            terminal = STATES.state(status).terminal();
            start = SignedJsonClient.time(d, "StartTime");
            end = terminal ? SignedJsonClient.time(d, "EndTime") : null;
        } catch (AwsApiException e) {
            throw new RunSourceException(e.getMessage() + " (execution " + arn + " in " + scope.account() + "/"
                    + scope.region() + ")", e);
        }
        if (!Window.covers(since, start, end, terminal)) {
            return null;
        }
        JsonNode result = d.path("Result");
        String code = SignedJsonClient.text(result, "ErrorCode");
        String detail = SignedJsonClient.text(result, "ErrorDetail");
        String error = code == null ? detail : detail == null ? code : code + ": " + detail;
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.DATASYNC, task);
        return new ObservedRun(job, arn, status, start, end, error);
    }
}
