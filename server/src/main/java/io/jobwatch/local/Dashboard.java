package io.jobwatch.local;

import static io.jobwatch.local.Html.esc;

import io.jobwatch.core.digest.SlaBreach;
import io.jobwatch.core.incident.IncidentRecord;
import io.jobwatch.core.incident.OutboxEntry;
import io.jobwatch.core.detail.RunDetail;
import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.store.JobSummary;
import io.jobwatch.core.store.RecentRun;
import io.jobwatch.core.store.Run;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Server-rendered dashboard pages. Every value goes through {@link Html#esc}; there is no inline script or style
 * (the pages are served with a strict Content-Security-Policy): styling is {@code /static/dashboard.css}, the
 * auto-refresh is {@code /static/dashboard.js}, charts are inline SVG with presentation attributes.
 */
public final class Dashboard {
    /** Recent runs shown as a strip per job on the overview. */
    public static final int STRIP = 12;
    /** Runs listed and charted on a job page. */
    public static final int JOB_RUNS = 60;
    /** Seconds between automatic refreshes. */
    public static final int REFRESH_SECONDS = 30;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Dashboard() {
    }

    /** The link to a job's page. */
    public static String jobHref(JobKey job) {
        return "/jobs/" + URLEncoder.encode(job.id(), StandardCharsets.UTF_8);
    }

    // ---- overview

    public static String overview(List<JobRow> all, JobRow.Filter filter, Instant now) {
        return overview(all, filter, now, false);
    }

    /** @param session whether the reader logged in (then the page offers to log out) */
    public static String overview(List<JobRow> all, JobRow.Filter filter, Instant now, boolean session) {
        List<JobRow> shown = all.stream().filter(filter::matches).toList();
        StringBuilder b = new StringBuilder(256 * (shown.size() + 20));
        head(b, "Jobs", "overview");
        if (session) {
            logout(b);
        }
        b.append("<h1>Jobs</h1>\n");
        counts(b, shown, all.size(), filter.any());
        filters(b, all, filter);
        if (all.isEmpty()) {
            b.append("<p class=\"empty\">No finished runs yet. Send events to <code>POST /events</code>"
                    + " (an EventBridge API destination), pings to <code>/ping/&lt;ping-key&gt;/&lt;slug&gt;</code>,"
                    + " OpenLineage events to <code>POST /api/v1/lineage</code>, or run"
                    + " <code>./jobwatch demo --serve</code>.</p>\n");
        } else if (shown.isEmpty()) {
            b.append("<p class=\"empty\">No job matches these filters.</p>\n");
        }
        Map<String, List<JobRow>> bySystem = new TreeMap<>();
        for (JobRow r : shown) {
            bySystem.computeIfAbsent(r.system(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<JobRow>> e : bySystem.entrySet()) {
            List<JobRow> rows = e.getValue();
            long failing = rows.stream().filter(JobRow::failing).count();
            b.append("<section class=\"system\" data-system=\"").append(esc(e.getKey())).append("\">\n<h2>")
                    .append(esc(e.getKey())).append(" <span class=\"muted\">").append(rows.size()).append(" jobs, ")
                    .append(failing).append(" failing</span></h2>\n");
            b.append("<table class=\"jobs\"><thead><tr><th>job</th><th>source</th><th>team</th><th>state</th>"
                    + "<th>last run ended</th><th>recent runs (oldest → newest)</th><th>incident</th><th>SLA</th></tr></thead><tbody>\n");
            for (JobRow r : rows) {
                jobRow(b, r);
            }
            b.append("</tbody></table>\n</section>\n");
        }
        foot(b, now);
        return b.toString();
    }

    private static void counts(StringBuilder b, List<JobRow> shown, int total, boolean filtered) {
        EnumMap<RunState, Integer> byState = new EnumMap<>(RunState.class);
        int never = 0;
        for (JobRow r : shown) {
            if (r.state() == null) {
                never++;
            } else {
                byState.merge(r.state(), 1, Integer::sum);
            }
        }
        long incidents = shown.stream().filter(r -> r.incident() != null).count();
        b.append("<p class=\"counts\"><span id=\"job-count\">").append(shown.size()).append("</span> ")
                .append(filtered ? "of " + total + " jobs match" : "jobs");
        for (Map.Entry<RunState, Integer> e : byState.entrySet()) {
            b.append(" <span class=\"badge s-").append(e.getKey().name()).append("\" data-state=\"").append(e.getKey().name())
                    .append("\">").append(e.getKey().name()).append(' ').append(e.getValue()).append("</span>");
        }
        if (never > 0) {
            b.append(" <span class=\"badge never\" data-state=\"never\">never ran ").append(never).append("</span>");
        }
        b.append(" <span class=\"badge incident\">open incidents ").append(incidents).append("</span></p>\n");
    }

    private static void filters(StringBuilder b, List<JobRow> all, JobRow.Filter f) {
        TreeSet<String> systems = new TreeSet<>();
        TreeSet<String> teams = new TreeSet<>();
        for (JobRow r : all) {
            systems.add(r.system());
            teams.add(r.team());
        }
        b.append("<form class=\"filters\" method=\"get\" action=\"/\">\n");
        select(b, "system", systems, f.system());
        select(b, "team", teams, f.team());
        List<String> states = new ArrayList<>();
        states.add("failing");
        states.add("incident");
        states.add("never");
        for (RunState s : RunState.values()) {
            if (s.terminal()) {
                states.add(s.name());
            }
        }
        select(b, "state", states, f.state());
        b.append("<label>search <input type=\"search\" name=\"q\" value=\"").append(esc(f.q()))
                .append("\" placeholder=\"job name, account, source\"></label>\n<button type=\"submit\">Filter</button>");
        if (f.any()) {
            b.append(" <a href=\"/\">clear</a>");
        }
        b.append("\n</form>\n");
    }

    private static void select(StringBuilder b, String name, Iterable<String> values, String current) {
        b.append("<label>").append(name).append(" <select name=\"").append(name).append("\"><option value=\"\">any</option>");
        for (String v : values) {
            b.append("<option value=\"").append(esc(v)).append('"').append(v.equals(current) ? " selected" : "").append('>')
                    .append(esc(v)).append("</option>");
        }
        b.append("</select></label>\n");
    }

    private static void jobRow(StringBuilder b, JobRow r) {
        JobSummary s = r.summary();
        String state = r.state() == null ? "never" : r.state().name();
        b.append("<tr class=\"job\" data-state=\"").append(state).append("\"><td><a href=\"")
                .append(esc(jobHref(r.job()))).append("\">").append(esc(r.job().jobName())).append("</a><div class=\"muted\">")
                .append(esc(r.job().account())).append(' ').append(esc(r.job().region())).append("</div></td><td>")
                .append(esc(r.job().source().id())).append("</td><td>").append(esc(r.team())).append("</td><td>");
        if (s != null) {
            state(b, s.latestState());
            if (s.consecutiveFailures() > 1) {
                b.append(" <span class=\"muted\">×").append(s.consecutiveFailures()).append("</span>");
            }
            b.append("</td><td>").append(time(s.latestEndedAt())).append("</td><td>");
            strip(b, s.recentRuns());
        } else if (r.running() != null) {
            // Its first run is still going: nothing has finished yet.
            state(b, r.running().state());
            b.append("</td><td><span class=\"muted\">started ").append(time(r.running().sortTime())).append("</span></td><td>");
        } else {
            b.append("<span class=\"muted\">never ran</span></td><td></td><td>");
        }
        b.append("</td><td>");
        if (r.incident() != null) {
            b.append("<span class=\"badge incident\" title=\"").append(esc(r.incident().kind().headline())).append(" since ")
                    .append(time(r.incident().openedAt())).append("\">")
                    .append(esc(r.incident().number() == null ? "open (not sent yet)" : r.incident().number())).append("</span>");
        }
        b.append("</td><td>");
        for (SlaBreach br : r.breaches()) {
            b.append("<span class=\"badge breach\" title=\"").append(esc(br.detail())).append("\">")
                    .append(esc(br.kind().label())).append("</span> ");
        }
        b.append("</td></tr>\n");
    }

    /** The newest {@link #STRIP} finished runs as small squares, oldest first. */
    private static void strip(StringBuilder b, List<RecentRun> newestFirst) {
        int n = Math.min(STRIP, newestFirst.size());
        b.append("<span class=\"strip\">");
        for (int i = n - 1; i >= 0; i--) {
            RecentRun run = newestFirst.get(i);
            b.append("<i class=\"run s-").append(run.state().name()).append("\" title=\"").append(run.state().name())
                    .append(' ').append(time(run.endedAt()));
            run.duration().ifPresent(d -> b.append(", ").append(duration(d)));
            b.append("\"></i>");
        }
        b.append("</span>");
    }

    // ---- job page

    /**
     * @param summary   the job's summary, or null when no run has finished yet
     * @param runs      the job's runs, newest first (unexpired ones)
     * @param incidents the job's incident records (any state)
     * @param outbox    outbox entries (pending and parked) of the job's incidents
     */
    public static String job(JobKey job, String system, String team, JobSummary summary, List<Run> runs,
                             List<IncidentRecord> incidents, List<OutboxEntry> outbox, List<SlaBreach> breaches, Instant now) {
        return job(job, system, team, summary, runs, incidents, outbox, breaches, now, Map.of(), null, false);
    }

    /**
     * @param details  each run's details (ping bodies, lineage parent) by run id
     * @param pingLine for a pinged job, the copy-paste line that pings it (its key as the variable that holds it); else
     *                 null
     * @param session  whether the reader logged in (then the page offers to log out)
     */
    public static String job(JobKey job, String system, String team, JobSummary summary, List<Run> runs,
                             List<IncidentRecord> incidents, List<OutboxEntry> outbox, List<SlaBreach> breaches, Instant now,
                             Map<String, List<RunDetail>> details, PingLine pingLine, boolean session) {
        return job(job, system, team, summary, runs, incidents, outbox, breaches, now, details, pingLine, session,
                List.of());
    }

    /** @param history the job's last days from the rollups, oldest first (none: no history section) */
    public static String job(JobKey job, String system, String team, JobSummary summary, List<Run> runs,
                             List<IncidentRecord> incidents, List<OutboxEntry> outbox, List<SlaBreach> breaches, Instant now,
                             Map<String, List<RunDetail>> details, PingLine pingLine, boolean session,
                             List<io.jobwatch.core.trend.TrendRow> history) {
        StringBuilder b = new StringBuilder(8192 + runs.size() * 400);
        head(b, job.jobName(), "job");
        if (session) {
            logout(b);
        }
        b.append("<p class=\"crumbs\"><a href=\"/\">Jobs</a> › <a href=\"/?system=").append(esc(URLEncoder.encode(system, StandardCharsets.UTF_8)))
                .append("\">").append(esc(system)).append("</a></p>\n");
        b.append("<h1 id=\"job-name\">").append(esc(job.jobName())).append("</h1>\n<dl class=\"facts\">");
        fact(b, "source", job.source().label());
        if (job.source() == JobSource.PING) {
            fact(b, "pinged by team", job.account());
        } else if (!job.account().isEmpty() || !job.region().isEmpty()) {
            fact(b, "account / region", job.account() + " / " + job.region());
        }
        fact(b, "team", team);
        if (summary != null) {
            b.append("<dt>latest</dt><dd>");
            state(b, summary.latestState());
            b.append(" ended ").append(time(summary.latestEndedAt())).append("</dd>");
            fact(b, "failures in a row", Integer.toString(summary.consecutiveFailures()));
            fact(b, "last success", summary.lastSuccessAt() == null ? "never seen" : time(summary.lastSuccessAt()));
            fact(b, "finished runs seen", Long.toString(summary.runCount()));
        }
        b.append("</dl>\n");
        if (pingLine != null) {
            ping(b, pingLine);
        }
        if (!breaches.isEmpty()) {
            b.append("<h2>SLA breaches</h2><ul class=\"breaches\">");
            for (SlaBreach br : breaches) {
                b.append("<li><span class=\"badge breach\">").append(esc(br.kind().label())).append("</span> ")
                        .append(esc(br.detail())).append("</li>");
            }
            b.append("</ul>\n");
        }
        b.append("<h2>Durations</h2>\n");
        chart(b, runs);
        if (!history.isEmpty()) {
            TrendsPage.jobHistory(b, history);
        }
        b.append("<h2>Runs <span class=\"muted\">newest first, kept for the store's retention</span></h2>\n");
        if (runs.isEmpty()) {
            b.append("<p class=\"empty\">No runs kept.</p>\n");
        } else {
            b.append("<table class=\"runs\"><thead><tr><th>run</th><th>state</th><th>started</th><th>ended</th>"
                    + "<th>duration</th><th>error</th></tr></thead><tbody>\n");
            for (Run r : runs) {
                b.append("<tr class=\"run-row\" data-state=\"").append(r.state().name()).append("\"><td class=\"id\">")
                        .append(esc(r.runId())).append("</td><td>");
                state(b, r.state());
                b.append("</td><td>").append(time(r.startedAt())).append("</td><td>").append(time(r.endedAt()))
                        .append("</td><td>").append(r.duration().map(Dashboard::duration).orElse(""))
                        .append("</td><td class=\"error\">").append(esc(r.error()));
                if (r.warning() != null) {
                    b.append("<div class=\"warning\"><span class=\"badge warn\">warning</span> ")
                            .append(esc(r.warning())).append("</div>");
                }
                if (r.attempt() > 1) {
                    b.append("<div class=\"attempt muted\">attempt ").append(r.attempt()).append("</div>");
                }
                if (r.rawJobName() != null) {
                    b.append("<div class=\"muted\">named ").append(esc(r.rawJobName())).append(" by the service</div>");
                }
                for (String note : r.notes()) {
                    b.append("<div class=\"muted\">").append(esc(note)).append("</div>");
                }
                details(b, details.getOrDefault(r.runId(), List.of()));
                b.append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        b.append("<h2>Incident timeline</h2>\n");
        timeline(b, incidents, outbox);
        foot(b, now);
        return b.toString();
    }

    /**
     * How a pinged job is pinged: one line to paste at the end of its script or crontab entry. The key is shown as the
     * variable that holds it (the catalog's {@code pingKey: "${NAME}"}), never as its value: a page is read, shared and
     * screenshotted by people who may read but should not be able to report runs.
     *
     * @param base     where the server is reached, e.g. {@code https://jobwatch.example.com}
     * @param variable the variable that holds the team's ping key, or null when the catalog names none
     * @param team     the team whose key it is
     * @param slug     the job's slug
     */
    public record PingLine(String base, String variable, String team, String slug) {
        /** The URL with the key as {@code ${VARIABLE}} (or a placeholder), e.g. for a crontab that sets the variable. */
        public String url() {
            String key = variable != null ? "${" + variable + "}" : "<ping key of team " + team + ">";
            return base + "/ping/" + key + "/" + slug;
        }

        public String curl() {
            return "curl -fsS -m 10 --retry 5 -o /dev/null \"" + url() + "\"";
        }
    }

    private static void ping(StringBuilder b, PingLine line) {
        b.append("<h2>Ping it</h2>\n<pre class=\"ping\"><code id=\"ping-line\">").append(esc(line.curl()))
                .append("</code></pre>\n<p class=\"muted\">At the end of the script: success. Add <code>/start</code>"
                        + " when it starts (durations, runs that never end), <code>/fail</code> or <code>/$?</code>"
                        + " (its exit status) when it ends, <code>?rid=$(uuidgen)</code> to keep overlapping runs apart,"
                        + " and POST its output (first 10,000 bytes kept) with <code>--data-binary @log.txt</code>. ");
        if (line.variable() != null) {
            b.append("The key is the team's: set <code>").append(esc(line.variable())).append("</code> where the"
                    + " script runs (a crontab takes <code>").append(esc(line.variable())).append("=…</code> lines);"
                    + " whoever holds it can report runs for team ").append(esc(line.team())).append(".");
        } else {
            b.append("The catalog names no ping key for team ").append(esc(line.team())).append(" any more: its pings"
                    + " answer 404 until it does.");
        }
        b.append("</p>\n");
    }

    /** A run's details: each ping body as a collapsed log, an OpenLineage parent as a link to the parent job. */
    private static void details(StringBuilder b, List<RunDetail> details) {
        for (RunDetail d : details) {
            if (d.kind() == RunDetail.Kind.PARENT) {
                String[] parent = parent(d.text());
                if (parent != null) {
                    JobKey job = new JobKey("", "", JobSource.OPENLINEAGE, parent[0]);
                    b.append("<div class=\"parent\">parent <a href=\"").append(esc(jobHref(job))).append("\">")
                            .append(esc(parent[0])).append("</a> run <span class=\"id\">").append(esc(parent[1]))
                            .append("</span>");
                    if (parent[2] != null) {
                        b.append(" <span class=\"muted\">root ").append(esc(parent[2])).append("</span>");
                    }
                    b.append("</div>");
                }
            } else {
                b.append("<details class=\"log\"><summary>log ").append(time(d.at())).append(" <span class=\"muted\">")
                        .append(d.text().length()).append(" chars</span></summary><pre>").append(esc(d.text()))
                        .append("</pre></details>");
            }
        }
    }

    /** The parent detail's job, run and root job, or null when it cannot be read. */
    private static String[] parent(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            if (!n.path("job").isTextual() || !n.path("runId").isTextual()) {
                return null;
            }
            return new String[] {n.get("job").asText(), n.get("runId").asText(),
                n.path("rootJob").isTextual() ? n.get("rootJob").asText() : null};
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void logout(StringBuilder b) {
        b.append("<form class=\"logout\" method=\"post\" action=\"/logout\"><button type=\"submit\">Log out</button>"
                + "</form>\n");
    }

    // ---- login

    /** The login page: the read key (or the API key) opens a session, then back to {@code next}. */
    public static String login(String next, String error, Instant now) {
        StringBuilder b = new StringBuilder(2048);
        head(b, "Log in", "");
        b.append("<h1>Log in</h1>\n");
        if (error != null) {
            b.append("<p class=\"notice\">").append(esc(error)).append("</p>\n");
        }
        b.append("<p>This Jobwatch listens beyond its own machine, so reading its jobs needs a key: the read key"
                + " (<code>JOBWATCH_READ_KEY</code>, or the <code>jobwatch.read-key</code> file next to the database) or"
                + " the API key. The session lasts 12 hours.</p>\n<form class=\"login\" method=\"post\" action=\"/login\">"
                + "<input type=\"hidden\" name=\"next\" value=\"").append(esc(next)).append("\"><label>Key <input"
                + " type=\"password\" name=\"key\" autocomplete=\"current-password\" required autofocus></label> <button"
                + " type=\"submit\">Log in</button></form>\n");
        foot(b, now);
        return b.toString();
    }

    private static void fact(StringBuilder b, String name, String value) {
        b.append("<dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd>");
    }

    /** Durations of the finished runs that have a start, oldest left, as an inline SVG bar chart. */
    static void chart(StringBuilder b, List<Run> newestFirst) {
        List<Run> runs = new ArrayList<>();
        for (Run r : newestFirst) {
            if (r.duration().isPresent()) {
                runs.add(0, r);
            }
        }
        if (runs.isEmpty()) {
            b.append("<p class=\"empty\">No finished run with a known start (some services, e.g. Glue jobs, report only"
                    + " the end of a run).</p>\n");
            return;
        }
        long max = 1;
        for (Run r : runs) {
            max = Math.max(max, r.duration().get().toSeconds());
        }
        int width = 900;
        int height = 160;
        int top = 14;
        int bar = Math.max(2, Math.min(24, (width - 40) / runs.size() - 2));
        b.append("<svg class=\"chart\" role=\"img\" aria-label=\"run durations\" width=\"").append(width)
                .append("\" height=\"").append(height + 20).append("\" viewBox=\"0 0 ").append(width).append(' ').append(height + 20)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        b.append("<text x=\"0\" y=\"10\" font-size=\"11\" fill=\"#555\">max ").append(esc(duration(Duration.ofSeconds(max))))
                .append("</text><line x1=\"36\" y1=\"").append(height).append("\" x2=\"").append(width).append("\" y2=\"")
                .append(height).append("\" stroke=\"#999\"/>");
        int x = 40;
        for (Run r : runs) {
            long secs = r.duration().get().toSeconds();
            int h = (int) Math.max(1, Math.round((height - top) * (double) secs / max));
            b.append("<rect class=\"bar\" x=\"").append(x).append("\" y=\"").append(height - h).append("\" width=\"").append(bar)
                    .append("\" height=\"").append(h).append("\" fill=\"").append(color(r.state())).append("\"><title>")
                    .append(esc(r.runId())).append(": ").append(r.state().name()).append(", ")
                    .append(esc(duration(r.duration().get()))).append(", started ").append(time(r.startedAt()))
                    .append("</title></rect>");
            x += bar + 2;
        }
        b.append("<text x=\"40\" y=\"").append(height + 14).append("\" font-size=\"11\" fill=\"#555\">oldest</text>")
                .append("<text x=\"").append(width - 40).append("\" y=\"").append(height + 14)
                .append("\" font-size=\"11\" fill=\"#555\">newest</text></svg>\n");
    }

    private static void timeline(StringBuilder b, List<IncidentRecord> incidents, List<OutboxEntry> outbox) {
        record Event(Instant at, String what, String detail) {
        }
        List<Event> events = new ArrayList<>();
        for (IncidentRecord r : incidents) {
            String label = r.kind().headline() + " incident " + (r.number() == null ? "(not sent yet)" : r.number());
            events.add(new Event(r.openedAt(), "opened", label));
            if (r.resolvedAt() != null) {
                events.add(new Event(r.resolvedAt(), "resolved", label));
            } else if (!r.updatedAt().equals(r.openedAt())) {
                events.add(new Event(r.updatedAt(), "updated", label + ", " + r.consecutiveFailures() + " failures in a row"));
            }
        }
        for (OutboxEntry e : outbox) {
            String what = e.status() == OutboxEntry.Status.PARKED ? e.action().type() + " parked" : e.action().type() + " waiting to be sent";
            String detail = e.status() == OutboxEntry.Status.PARKED ? e.lastError() : "attempts " + e.attempts() + ", next "
                    + time(e.nextAttemptAt()) + (e.lastError() == null ? "" : ", last error: " + e.lastError());
            events.add(new Event(e.createdAt(), what, detail));
        }
        if (events.isEmpty()) {
            b.append("<p class=\"empty\">No incident for this job.</p>\n");
            return;
        }
        events.sort((x, y) -> y.at().compareTo(x.at()));
        b.append("<ol class=\"timeline\">");
        for (Event e : events) {
            b.append("<li><time>").append(time(e.at())).append("</time> <strong>").append(esc(e.what())).append("</strong> ")
                    .append(esc(e.detail())).append("</li>");
        }
        b.append("</ol>\n");
    }

    // ---- incidents and outbox

    public static String incidents(List<IncidentRecord> open, List<OutboxEntry> pending, List<OutboxEntry> parked,
                                   String target, String notice, Instant now) {
        StringBuilder b = new StringBuilder(4096 + 300 * (open.size() + pending.size() + parked.size()));
        head(b, "Incidents", "incidents");
        b.append("<h1>Incidents and outbox</h1>\n");
        if (notice != null) {
            b.append("<p class=\"notice\">").append(esc(notice)).append("</p>\n");
        }
        b.append("<h2>Open incidents <span class=\"muted\">").append(open.size()).append("</span></h2>\n");
        if (open.isEmpty()) {
            b.append("<p class=\"empty\">None.</p>\n");
        } else {
            b.append("<table class=\"incidents\"><thead><tr><th>number</th><th>problem</th><th>job</th><th>opened</th>"
                    + "<th>updated</th><th>failures in a row</th></tr></thead><tbody>\n");
            for (IncidentRecord r : open) {
                b.append("<tr><td>").append(esc(r.number() == null ? "(not sent yet)" : r.number())).append("</td><td>")
                        .append(esc(r.kind().headline())).append("</td><td><a href=\"").append(esc(jobHref(r.job()))).append("\">")
                        .append(esc(r.job().jobName())).append("</a> <span class=\"muted\">").append(esc(r.job().source().id()))
                        .append(' ').append(esc(r.job().account())).append("</span></td><td>").append(time(r.openedAt()))
                        .append("</td><td>").append(time(r.updatedAt())).append("</td><td>").append(r.consecutiveFailures())
                        .append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        b.append("<h2>Outbox <span class=\"muted\">").append(pending.size()).append(" pending, ").append(parked.size())
                .append(" parked; sending to ").append(esc(target)).append("</span></h2>\n");
        b.append("<form class=\"retry\" method=\"post\" action=\"/api/outbox/retry\">"
                + "<label>API key <input type=\"password\" name=\"key\" autocomplete=\"off\" required></label> "
                + "<button type=\"submit\">Retry outbox now</button>"
                + " <span class=\"muted\">sends every pending action now; parked ones need a fix first</span></form>\n");
        outboxTable(b, "Pending", pending, false);
        outboxTable(b, "Parked", parked, true);
        foot(b, now);
        return b.toString();
    }

    private static void outboxTable(StringBuilder b, String title, List<OutboxEntry> entries, boolean parked) {
        b.append("<h3>").append(title).append("</h3>\n");
        if (entries.isEmpty()) {
            b.append("<p class=\"empty\">None.</p>\n");
            return;
        }
        b.append("<table class=\"outbox\"><thead><tr><th>action</th><th>job</th><th>created</th><th>attempts</th><th>")
                .append(parked ? "parked" : "next attempt").append("</th><th>").append(parked ? "reason / response" : "last error")
                .append("</th></tr></thead><tbody>\n");
        for (OutboxEntry e : entries) {
            JobKey job = e.action().incident().job();
            b.append("<tr><td>").append(esc(e.action().type())).append("</td><td><a href=\"").append(esc(jobHref(job))).append("\">")
                    .append(esc(job.jobName())).append("</a></td><td>").append(time(e.createdAt())).append("</td><td>")
                    .append(e.attempts()).append("</td><td>").append(time(parked ? e.doneAt() : e.nextAttemptAt()))
                    .append("</td><td class=\"error\">").append(esc(e.lastError()));
            if (parked && e.responseStatus() > 0) {
                b.append(" <span class=\"muted\">HTTP ").append(e.responseStatus()).append(": ")
                        .append(esc(shorten(e.responseBody(), 300))).append("</span>");
            }
            b.append("</td></tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    // ---- SLA

    public static String sla(List<SlaBreach> breaches, boolean enabled, Instant now) {
        StringBuilder b = new StringBuilder(4096 + 200 * breaches.size());
        head(b, "SLA", "sla");
        b.append("<h1>SLA breaches</h1>\n");
        if (!enabled) {
            b.append("<p class=\"empty\">SLA checks are not part of this build yet; this page lists breaches once they are.</p>\n");
        } else if (breaches.isEmpty()) {
            b.append("<p class=\"empty\">No breach: every expected run started, finished in time and within its usual duration.</p>\n");
        } else {
            b.append("<table class=\"breaches\"><thead><tr><th>kind</th><th>job</th><th>system</th><th>expected</th>"
                    + "<th>detail</th></tr></thead><tbody>\n");
            for (SlaBreach br : breaches) {
                b.append("<tr><td><span class=\"badge breach\">").append(esc(br.kind().label())).append("</span></td><td><a href=\"")
                        .append(esc(jobHref(br.job()))).append("\">").append(esc(br.job().jobName())).append("</a></td><td>")
                        .append(esc(br.system())).append("</td><td>").append(time(br.expectedAt())).append("</td><td>")
                        .append(esc(br.detail())).append("</td></tr>\n");
            }
            b.append("</tbody></table>\n");
        }
        foot(b, now);
        return b.toString();
    }

    /** A small page for errors (unknown job, bad key on the retry form). */
    public static String message(String title, String text, Instant now) {
        StringBuilder b = new StringBuilder(2048);
        head(b, title, "");
        b.append("<h1>").append(esc(title)).append("</h1>\n<p>").append(esc(text)).append("</p>\n<p><a href=\"/\">Back to the jobs</a></p>\n");
        foot(b, now);
        return b.toString();
    }

    // ---- shared parts

    static void head(StringBuilder b, String title, String page) {
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
                .append(esc(title)).append(" · Jobwatch</title><link rel=\"stylesheet\" href=\"/static/dashboard.css\">"
                        + "<script src=\"/static/dashboard.js\" defer></script></head>\n<body data-refresh=\"")
                .append(REFRESH_SECONDS).append("\"><nav><strong>Jobwatch</strong> ");
        nav(b, "/", "Jobs", page.equals("overview"));
        nav(b, "/incidents", "Incidents & outbox", page.equals("incidents"));
        nav(b, "/sla", "SLA", page.equals("sla"));
        nav(b, "/trends", "Trends", page.equals("trends"));
        b.append("</nav>\n<main>\n");
    }

    private static void nav(StringBuilder b, String href, String label, boolean current) {
        b.append("<a href=\"").append(href).append('"').append(current ? " aria-current=\"page\"" : "").append('>')
                .append(esc(label)).append("</a> ");
    }

    static void foot(StringBuilder b, Instant now) {
        b.append("</main>\n<footer>Generated ").append(time(now)).append("; refreshes every ").append(REFRESH_SECONDS)
                .append(" s. JSON: <a href=\"/api/jobs\">/api/jobs</a> · <a href=\"/metrics\">/metrics</a></footer>\n</body></html>\n");
    }

    private static void state(StringBuilder b, RunState s) {
        b.append("<span class=\"badge s-").append(s.name()).append("\">").append(s.name()).append("</span>");
    }

    static String time(Instant t) {
        return t == null ? "" : TIME.format(t);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m " + String.format("%02ds", s % 60);
        }
        return (s / 3600) + "h " + String.format("%02dm", (s % 3600) / 60);
    }

    private static String color(RunState s) {
        return switch (s) {
            case SUCCEEDED -> "#2e7d32";
            case FAILED, TIMED_OUT -> "#c62828";
            case STOPPED -> "#757575";
            default -> "#1565c0";
        };
    }

    private static String shorten(String s, int max) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\s+", " ");
        return t.length() > max ? t.substring(0, max - 1) + "…" : t;
    }
}
