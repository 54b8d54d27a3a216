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
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Step Functions executions through {@code ListStateMachines} then {@code ListExecutions} per state machine (newest
 * first): AWS JSON 1.0 ({@code X-Amz-Target: AWSStepFunctions.*}, {@code nextToken}, times in epoch seconds) over
 * {@link SignedJsonClient}. The job is the state machine's name and the run the execution ARN, as in the events.
 * Express state machines are skipped: they send no execution events and ListExecutions does not list them.
 * ListExecutions carries no error text, so a failure found only here has none.
 */
public final class StepFunctionsRunSource implements RunSource {
    private static final StateMap STATES = Sources.of(JobSource.STEP_FUNCTIONS).states();
    static final AwsService SERVICE = AwsService.of("states", "Step Functions");
    static final String TARGET_PREFIX = "AWSStepFunctions";

    private record StateMachine(String arn, String name) {
    }

    private final MemberClients clients;
    private final ListingBounds bounds;

    public StepFunctionsRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.STEP_FUNCTIONS;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SignedJsonClient sfn = clients.signedJson(SERVICE, scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        for (StateMachine machine : stateMachines(sfn, scope)) {
            try {
                if (!executionsOf(sfn, scope, machine, since, limit, out)) {
                    break;
                }
            } catch (AwsApiException e) {
                if ("StateMachineDoesNotExist".equals(e.errorCode())) {
                    continue; // deleted between the two calls: nothing more to list
                }
                throw new RunSourceException(e.getMessage() + " (state machine '" + machine.name() + "' in "
                        + scope.account() + "/" + scope.region() + ")", e);
            }
        }
        return out;
    }

    private boolean executionsOf(SignedJsonClient sfn, Scope scope, StateMachine machine, Instant since, int limit,
                                 List<ObservedRun> out) {
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.STEP_FUNCTIONS, machine.name());
        String token = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("stateMachineArn", machine.arn())
                    .put("maxResults", Math.min(bounds.pageSize(), 1000));
            if (token != null) {
                request.put("nextToken", token);
            }
            JsonNode response = sfn.json10(TARGET_PREFIX, "ListExecutions", request);
            boolean anyInWindow = false;
            for (JsonNode e : response.path("executions")) {
                String status = SignedJsonClient.text(e, "status");
                String arn = SignedJsonClient.text(e, "executionArn");
                if (status == null || arn == null) {
                    continue;
                }
                Instant start = SignedJsonClient.time(e, "startDate");
                Instant stop = SignedJsonClient.time(e, "stopDate");
                if (!Window.covers(since, start, stop, STATES.state(status).terminal())) {
                    continue;
                }
                anyInWindow = true;
                out.add(new ObservedRun(job, arn, status, start, stop, null));
                if (out.size() >= limit) {
                    return false;
                }
            }
            if (!anyInWindow) {
                break; // sorted by start, newest first
            }
            token = SignedJsonClient.text(response, "nextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return true;
    }

    private List<StateMachine> stateMachines(SignedJsonClient sfn, Scope scope) {
        Set<String> wanted = new HashSet<>(scope.jobNames());
        List<StateMachine> out = new ArrayList<>();
        String token = null;
        int page = 0;
        try {
            do {
                ObjectNode request = SignedJsonClient.JSON.createObjectNode()
                        .put("maxResults", Math.min(bounds.pageSize(), 1000));
                if (token != null) {
                    request.put("nextToken", token);
                }
                JsonNode response = sfn.json10(TARGET_PREFIX, "ListStateMachines", request);
                for (JsonNode m : response.path("stateMachines")) {
                    String arn = SignedJsonClient.text(m, "stateMachineArn");
                    String name = SignedJsonClient.text(m, "name");
                    if (arn == null || name == null || "EXPRESS".equals(SignedJsonClient.text(m, "type"))) {
                        continue;
                    }
                    if (scope.allJobs() || wanted.contains(name)) {
                        out.add(new StateMachine(arn, name));
                    }
                }
                token = SignedJsonClient.text(response, "nextToken");
                page++;
            } while (token != null && page < bounds.maxPagesPerList());
        } catch (AwsApiException e) {
            throw new RunSourceException(e.getMessage() + " (" + scope.account() + "/" + scope.region() + ")", e);
        }
        return out;
    }
}
