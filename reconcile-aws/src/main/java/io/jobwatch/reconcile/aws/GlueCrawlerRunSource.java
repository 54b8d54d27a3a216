package io.jobwatch.reconcile.aws;

import io.jobwatch.core.reconcile.ObservedRun;
import io.jobwatch.core.reconcile.RunSource;
import io.jobwatch.core.reconcile.RunSourceException;
import io.jobwatch.core.reconcile.Scope;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.CrawlerHistory;
import software.amazon.awssdk.services.glue.model.CrawlsFilter;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.FieldName;
import software.amazon.awssdk.services.glue.model.FilterOperator;
import software.amazon.awssdk.services.glue.model.ListCrawlsResponse;

/**
 * Glue crawls through {@code ListCrawls} per crawler, filtered on START_TIME. Crawler events carry no run id: the
 * normalizer names a crawl {@code crawlerName@startTime} (the Started event's whole-second ISO time) and the store pairs
 * the id-less terminal event with it. A listed crawl gets the same id ({@code crawler@StartTime} truncated to the
 * second), so it is the run its Started event makes; the store's crawler rules ({@code RunFold.joinsCrawl},
 * {@code takesOverOrphan}) make the terminal event and a crawl known only by its end fold into it, in any order. The
 * crawlers come from the scope's job names, else from the known jobs: the role may not list crawlers.
 */
public final class GlueCrawlerRunSource implements RunSource {
    private final AwsClients clients;
    private final ListingBounds bounds;
    private final KnownJobs knownJobs;

    public GlueCrawlerRunSource(AwsClients clients, ListingBounds bounds, KnownJobs knownJobs) {
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
        GlueClient glue = clients.glue(scope.account(), scope.region());
        List<ObservedRun> out = new ArrayList<>();
        for (String name : crawlers) {
            try {
                if (!crawlsOf(glue, scope, name, since, limit, out)) {
                    break;
                }
            } catch (EntityNotFoundException e) {
                // A crawler the catalog names but the account no longer has: nothing ran.
            } catch (SdkException e) {
                throw new RunSourceException("Glue ListCrawls for crawler '" + name + "' in " + scope.account() + "/"
                        + scope.region() + " failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private boolean crawlsOf(GlueClient glue, Scope scope, String name, Instant since, int limit, List<ObservedRun> out) {
        JobKey job = new JobKey(scope.account(), scope.region(), JobSource.GLUE_CRAWLER, name);
        CrawlsFilter startedAfter = CrawlsFilter.builder().fieldName(FieldName.START_TIME)
                .filterOperator(FilterOperator.GE)
                .fieldValue(Long.toString(since.minus(Window.LONG_RUN_LOOKBACK).toEpochMilli())).build();
        String token = null;
        int page = 0;
        do {
            String next = token;
            ListCrawlsResponse response = glue.listCrawls(r -> r.crawlerName(name).filters(startedAfter)
                    .maxResults(Math.min(bounds.pageSize(), 100)).nextToken(next));
            for (CrawlerHistory c : response.crawls()) {
                String state = c.stateAsString();
                if (state == null || c.startTime() == null) {
                    continue;
                }
                boolean terminal = RunState.fromSourceState(state).terminal();
                Instant end = terminal ? c.endTime() : null;
                if (!Window.covers(since, c.startTime(), end, terminal)) {
                    continue;
                }
                out.add(new ObservedRun(job, crawlRunId(name, c.startTime()), state, c.startTime(), end,
                        c.errorMessage()));
                if (out.size() >= limit) {
                    return false;
                }
            }
            token = response.nextToken();
            page++;
        } while (token != null && page < bounds.maxPagesPerList());
        return true;
    }
}
