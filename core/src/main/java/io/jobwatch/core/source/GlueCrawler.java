package io.jobwatch.core.source;

import static io.jobwatch.core.source.ConsoleLinks.home;
import static io.jobwatch.core.source.ConsoleLinks.segment;
import static io.jobwatch.core.source.Fields.optIsoTime;
import static io.jobwatch.core.source.Fields.optText;
import static io.jobwatch.core.source.Fields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Glue crawler: no run id anywhere. The Started event gets {@code crawlerName@startTime}; terminal events get none and
 * the store pairs them with the crawler's open run (a crawler runs one crawl at a time).
 */
final class GlueCrawler extends EventBridgeSource {
    // Events say Started / Succeeded / Failed; ListCrawls says RUNNING / COMPLETED / FAILED / STOPPED.
    private static final StateMap STATES = StateMap.builder()
            .running("Started", "RUNNING")
            .succeeded("Succeeded", "COMPLETED")
            .failed("Failed")
            .stopped("STOPPED")
            .build();

    GlueCrawler() {
        super(JobSource.GLUE_CRAWLER, "aws.glue", "Glue Crawler State Change");
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public Parsed read(Envelope env) {
        JsonNode d = env.detail();
        String name = text(d, "detail", "crawlerName");
        String state = text(d, "detail", "state");
        if (state(state).terminal()) {
            String error = optText(d, "detail", "errorMessage");
            Instant end = optIsoTime(d, "detail", "completionDate");
            return Parsed.of(name, null, state, startOf(d, end), end,
                    error != null ? error : optText(d, "detail", "message"));
        }
        String rawStart = optText(d, "detail", "startTime");
        Instant start = rawStart == null ? env.time() : Fields.parseIso(rawStart, "detail.startTime");
        return Parsed.of(name, name + "@" + (rawStart == null ? env.rawTime() : rawStart), state, start, null, null);
    }

    /**
     * A crawl's start as its end event tells it: completionDate − "runningTime (sec)" (whole seconds), so an end whose
     * Started was lost still has a start — and two crawls whose ends are both in flight are told apart by it.
     */
    private static Instant startOf(JsonNode d, Instant end) {
        String running = optText(d, "detail", RUNNING_TIME);
        if (end == null || running == null) {
            return null;
        }
        if (!running.matches("\\d{1,9}(\\.\\d{1,9})?")) {
            throw new MalformedEventException("detail[\"" + RUNNING_TIME + "\"]", "a number of seconds (a string)",
                    "\"" + Fields.clip(running) + "\"");
        }
        return end.minusMillis(Math.round(Double.parseDouble(running) * 1000));
    }

    private static final String RUNNING_TIME = "runningTime (sec)";

    @Override
    public String consolePath(JobKey job, String runId) {
        // Crawls have no page of their own; the crawler page lists its recent crawls.
        return home("glue", job.region()) + "#/v2/data-catalog/crawlers/view/" + segment(job.jobName());
    }

    @Override
    public List<String> reconcileActions() {
        return List.of("glue:ListCrawls");
    }

    @Override
    public boolean reconcileListsAllJobs() {
        return false;
    }

    @Override
    public boolean runIdFromStart() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("detail.crawlerName",
                "`crawlerName@startTime` on Started; null on Succeeded/Failed (paired with the crawler's open run)");
    }

    @Override
    public List<String> samples() {
        return List.of("started.json", "succeeded.json");
    }

    @Override
    public SimProfile simProfile() {
        return new SimProfile(60, 60, 300);
    }

    @Override
    public String simJobName(String prefix, String noun, String verb, java.util.SplittableRandom rnd) {
        return prefix + "-" + noun + "-crawler";
    }

    @Override
    public void simulate(SimRun run, SimEvents out) {
        JobKey k = run.job();
        String log = "https://console.aws.amazon.com/cloudwatch/home?region=" + k.region()
                + "#logEventViewer:group=/aws-glue/crawlers;stream=" + k.jobName();
        ObjectNode sd = out.add(k, "aws.glue", "Glue Crawler State Change", run.start()).putObject("detail");
        sd.put("accountId", k.account());
        sd.put("crawlerName", k.jobName());
        sd.put("startTime", run.start().truncatedTo(ChronoUnit.SECONDS).toString());
        sd.put("state", "Started");
        sd.put("message", "Crawler Started");
        if (run.neverEnds()) {
            return;
        }
        ObjectNode d = out.add(k, "aws.glue", "Glue Crawler State Change", run.end()).putObject("detail");
        if (run.failed()) {
            d.put("crawlerName", k.jobName());
            d.put("errorMessage", run.rnd().nextBoolean() ? "Internal Service Exception"
                    : "Insufficient Lake Formation permission(s) on raw_db");
            d.put("accountId", k.account());
            d.put("cloudWatchLogLink", log);
            d.put("state", "Failed");
            d.put("message", "Crawler Failed");
        } else {
            d.put("tablesCreated", "0");
            d.put("warningMessage", "N/A");
            d.put("partitionsUpdated", String.valueOf(run.rnd().nextInt(5)));
            d.put("tablesUpdated", String.valueOf(run.rnd().nextInt(3)));
            d.put("message", "Crawler Succeeded");
            d.put("partitionsDeleted", "0");
            d.put("accountId", k.account());
            d.put("runningTime (sec)", String.valueOf(run.end().getEpochSecond() - run.start().getEpochSecond()));
            d.put("tablesDeleted", "0");
            d.put("crawlerName", k.jobName());
            d.put("completionDate", run.end().truncatedTo(ChronoUnit.SECONDS).toString());
            d.put("state", "Succeeded");
            d.put("partitionsCreated", String.valueOf(run.rnd().nextInt(30)));
            d.put("cloudWatchLogLink", log);
        }
    }
}
