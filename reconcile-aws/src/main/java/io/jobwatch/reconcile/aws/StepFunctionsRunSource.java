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
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineListItem;
import software.amazon.awssdk.services.sfn.model.StateMachineType;

/**
 * Step Functions executions through {@code ListStateMachines} then {@code ListExecutions} per state machine (newest
 * first). The job is the state machine's name and the run the execution ARN, as in the events. Express state machines
 * are skipped: they send no execution events and ListExecutions does not list them. ListExecutions carries no error
 * text, so a failure found only here has none.
 */
public final class StepFunctionsRunSource implements RunSource {
    private final AwsClients clients;
    private final ListingBounds bounds;

    public StepFunctionsRunSource(AwsClients clients, ListingBounds bounds) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
    }

    @Override
    public JobSource source() {
        return JobSource.STEP_FUNCTIONS;
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        SfnClient sfn = clients.sfn(scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        for (StateMachineListItem machine : stateMachines(sfn, scope)) {
            try {
                if (!executionsOf(sfn, scope, machine, since, limit, out)) {
                    break;
                }
            } catch (StateMachineDoesNotExistException e) {
                // Deleted between the two calls: nothing more to list.
            } catch (SdkException e) {
                throw new RunSourceException("Step Functions ListExecutions for '" + machine.name() + "' in "
                        + scope.account() + "/" + scope.region() + " failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private boolean executionsOf(SfnClient sfn, Scope scope, StateMachineListItem machine, Instant since, int limit,
                                 List<ObservedRun> out) {
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.STEP_FUNCTIONS, machine.name());
        Iterator<ListExecutionsResponse> pages = sfn.listExecutionsPaginator(r -> r.stateMachineArn(
                machine.stateMachineArn()).maxResults(Math.min(bounds.pageSize(), 1000))).iterator();
        for (int page = 0; page < bounds.maxPagesPerList() && pages.hasNext(); page++) {
            boolean anyInWindow = false;
            for (ExecutionListItem e : pages.next().executions()) {
                String status = e.statusAsString();
                if (status == null || e.executionArn() == null) {
                    continue;
                }
                if (!Window.covers(since, e.startDate(), e.stopDate(), RunState.fromSourceState(status).terminal())) {
                    continue;
                }
                anyInWindow = true;
                out.add(new ObservedRun(job, e.executionArn(), status, e.startDate(), e.stopDate(), null));
                if (out.size() >= limit) {
                    return false;
                }
            }
            if (!anyInWindow) {
                break; // sorted by start, newest first
            }
        }
        return true;
    }

    private List<StateMachineListItem> stateMachines(SfnClient sfn, Scope scope) {
        Set<String> wanted = new HashSet<>(scope.jobNames());
        List<StateMachineListItem> out = new ArrayList<>();
        try {
            Iterator<ListStateMachinesResponse> pages = sfn.listStateMachinesPaginator(r -> r.maxResults(
                    Math.min(bounds.pageSize(), 1000))).iterator();
            for (int page = 0; page < bounds.maxPagesPerList() && pages.hasNext(); page++) {
                for (StateMachineListItem m : pages.next().stateMachines()) {
                    if (m.type() == StateMachineType.EXPRESS) {
                        continue;
                    }
                    if (scope.allJobs() || wanted.contains(m.name())) {
                        out.add(m);
                    }
                }
            }
        } catch (SdkException e) {
            throw new RunSourceException("Step Functions ListStateMachines in " + scope.account() + "/" + scope.region()
                    + " failed: " + e.getMessage(), e);
        }
        return out;
    }
}
