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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Glue crawls through {@code ListCrawls} per crawler, filtered on START_TIME (AWS JSON 1.1, {@code X-Amz-Target:
 * AWSGlue.ListCrawls}, over {@link SignedJsonClient}). Crawler events carry no run id: the
 * normalizer names a crawl {@code crawlerName@startTime} (the Started event's whole-second ISO time) and the store pairs
 * the id-less terminal event with it. A listed crawl gets the same id ({@code crawler@StartTime} truncated to the
 * second), so it is the run its Started event makes; the store's crawler rules ({@code RunFold.joinsCrawl},
 * {@code takesOverOrphan}) make the terminal event and a crawl known only by its end fold into it, in any order. The
 * crawlers come from the scope's job names, else from the known jobs: the role may not list crawlers.
 */
public final class GlueCrawlerRunSource implements RunSource {
    private static final StateMap STATES = Sources.of(JobSource.GLUE_CRAWLER).states();
    private final MemberClients clients;
    private final ListingBounds bounds;
    private final KnownJobs knownJobs;

    public GlueCrawlerRunSource(MemberClients clients, ListingBounds bounds, KnownJobs knownJobs) {
        this.clients = Objects.requireNonNull(clients, "clients");
        this.bounds = Objects.requireNonNull(bounds, "bounds");
        this.knownJobs = Objects.requireNonNull(knownJobs, "knownJobs");
    }

    @Override
    public JobSource source() {
        return JobSource.GLUE_CRAWLER;
    }

    /** The run id of a crawl started at {@code start}, exactly as the normalizer names it from the Started event. */
    public static String crawlRunId(String crawlerName, Instant start) {
        return crawlerName + "@" + start.truncatedTo(ChronoUnit.SECONDS);
    }

    @Override
    public List<ObservedRun> runsSince(Scope scope, Instant since, int limit) {
        List<String> crawlers = scope.allJobs()
                ? knownJobs.jobNames(scope.account(), scope.region(), JobSource.GLUE_CRAWLER) : scope.jobNames();
        if (crawlers.isEmpty()) {
            throw new RunSourceException("Glue crawlers in " + scope.account() + "/" + scope.region() + ": no crawler to"
                    + " ask about — name them in the catalog (source glue-crawler, jobName CRAWLER_NAME) or pass --job");
        }
        SignedJsonClient glue = clients.signedJson(GlueJobRunSource.SERVICE, scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        for (String name : crawlers) {
            try {
                if (!crawlsOf(glue, scope, name, since, limit, out)) {
                    break;
                }
            } catch (AwsApiException e) {
                if (e.notFound()) {
                    continue; // a crawler the catalog names but the account no longer has: nothing ran
                }
                throw new RunSourceException(e.getMessage() + " (crawler '" + name + "' in " + scope.account() + "/"
                        + scope.region() + ")", e);
            }
        }
        return out;
    }

    private boolean crawlsOf(SignedJsonClient glue, Scope scope, String name, Instant since, int limit,
                             List<ObservedRun> out) {
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.GLUE_CRAWLER, name);
        String startedAfter = Long.toString(since.minus(Window.LONG_RUN_LOOKBACK).toEpochMilli());
        String token = null;
        int page = 0;
        do {
            ObjectNode request = SignedJsonClient.JSON.createObjectNode().put("CrawlerName", name)
                    .put("MaxResults", Math.min(bounds.pageSize(), 100));
            request.putArray("Filters").addObject().put("FieldName", "START_TIME").put("FilterOperator", "GE")
                    .put("FieldValue", startedAfter);
            if (token != null) {
                request.put("NextToken", token);
            }
            JsonNode response = glue.json11(GlueJobRunSource.TARGET_PREFIX, "ListCrawls", request);
            for (JsonNode c : response.path("Crawls")) {
                String state = SignedJsonClient.text(c, "State");
                Instant start = SignedJsonClient.time(c, "StartTime");
                if (state == null || start == null) {
                    continue;
                }
                boolean terminal = STATES.state(state).terminal();
                Instant end = terminal ? SignedJsonClient.time(c, "EndTime") : null;
                if (!Window.covers(since, start, end, terminal)) {
                    continue;
                }
                out.add(new ObservedRun(job, crawlRunId(name, start), state, start, end,
                        SignedJsonClient.text(c, "ErrorMessage")));
                if (out.size() >= limit) {
                    return false;
                }
            }
            token = SignedJsonClient.text(response, "NextToken");
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return true;
    }
}
