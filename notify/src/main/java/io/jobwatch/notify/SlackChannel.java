package io.jobwatch.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.channel.Channel;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelFactory;
import io.jobwatch.core.channel.ChannelSettings;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.channel.IncidentNotice;
import io.jobwatch.core.digest.DigestSummary;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code slack} channel: a Slack incoming webhook. Incident actions as a Block Kit message — a header, the summary
 * with the console link, the facts as fields (job, system, state, run, incident number, criticality, account), the
 * error excerpt, and the correlation id; a resolve says so — and the team's digest as a short summary (counts and the
 * top items). The top-level {@code text} is always set: Slack's notifications and screen readers use it.
 *
 * <p>Catalog: {@code {type: slack, url: "${SLACK_ERP_WEBHOOK}"}} — the webhook URL holds its token, so it is only ever
 * a reference. Slack answers 200 {@code ok}; 429 with {@code Retry-After} (about one message per second per webhook);
 * 400 {@code invalid_payload}, 403 {@code action_prohibited}, 404 {@code channel_not_found} / {@code no_service}
 * (revoked), 410 {@code channel_is_archived}: refused for good (parked); 5xx: tried again.
 */
public final class SlackChannel extends HttpChannel {
    /** Block Kit limits: header text, section text, a field's text. */
    static final int MAX_HEADER = 150;
    static final int MAX_SECTION = 3000;
    static final int MAX_FIELD = 2000;

    /** The {@code slack} type. */
    public static final ChannelFactory FACTORY = new ChannelFactory() {
        @Override
        public String type() {
            return "slack";
        }

        @Override
        public Set<String> requiredSettings() {
            return Set.of("url");
        }

        @Override
        public Set<String> secretSettings() {
            return Set.of("url");
        }

        @Override
        public boolean takesIncidents() {
            return true;
        }

        @Override
        public boolean digestSummary() {
            return true;
        }

        @Override
        public Channel open(ChannelSpec spec, ChannelContext context) {
            return open(context.settings(spec), context);
        }

        @Override
        public Channel open(ChannelSettings settings, ChannelContext context) {
            return new SlackChannel(settings, context, null);
        }
    };

    /** @param http the client to use, or null for the shared one */
    public SlackChannel(ChannelSettings settings, ChannelContext context, HttpClient http) {
        super("slack", settings, "url", null, context, http);
    }

    @Override
    protected Optional<Request> incident(IncidentNotice n) {
        ObjectNode msg = JSON.createObjectNode();
        msg.put("text", n.summary());
        ArrayNode blocks = msg.putArray("blocks");
        header(blocks, (n.resolved() ? "\u2705 " : n.action().equals("update") ? "\uD83D\uDD01 " : "\uD83D\uDD34 ")
                + n.verb() + ": " + n.jobLabel() + (n.resolved() ? "" : " " + n.problemWords()));
        section(blocks, "*" + link(n.consoleLink(), esc(n.jobLabel())) + "* " + esc(n.resolved()
                ? "is back to normal." : n.problemWords().toLowerCase(java.util.Locale.ROOT)
                + (n.runId() == null ? "" : " (run " + n.runId() + ")") + ".") + "\n" + esc(n.note()));
        ObjectNode fields = blocks.addObject().put("type", "section");
        ArrayNode list = fields.putArray("fields");
        for (IncidentNotice.Field f : n.fields()) {
            if (!f.label().equals("Error") && !f.label().equals("Detail")) {
                list.addObject().put("type", "mrkdwn").put("text", cut("*" + f.label() + "*\n" + esc(f.value()),
                        MAX_FIELD));
            }
        }
        if (n.error() != null && !n.resolved()) {
            section(blocks, "*" + (n.problem() == io.jobwatch.core.incident.ProblemKind.FAILURE ? "Error" : "Detail")
                    + "*\n```" + cut(esc(n.error()).replace("```", "'''"), MAX_SECTION - 40) + "```");
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text", cut(esc("Jobwatch · "
                + n.team() + " · correlation id " + n.correlationId() + " · " + n.at()), MAX_SECTION));
        return Optional.of(new Request(json(msg), Map.of()));
    }

    @Override
    protected Optional<Request> digest(DigestNotice notice) {
        DigestSummary d = DigestSummary.of(notice.digest());
        ObjectNode msg = JSON.createObjectNode();
        msg.put("text", d.title());
        ArrayNode blocks = msg.putArray("blocks");
        header(blocks, d.title());
        section(blocks, esc(d.window()) + "\n*" + esc(d.counts()) + "*\n" + esc(d.runs()));
        if (!d.top().isEmpty()) {
            StringBuilder b = new StringBuilder();
            for (String item : d.top()) {
                b.append("• ").append(esc(item)).append('\n');
            }
            if (d.more() > 0) {
                b.append("_… and ").append(d.more()).append(" more in the e-mail digest_");
            }
            section(blocks, b.toString().strip());
        }
        if (d.previousNote() != null) {
            blocks.addObject().put("type", "context").putArray("elements").addObject().put("type", "mrkdwn")
                    .put("text", ":warning: " + esc(d.previousNote()));
        }
        return Optional.of(new Request(json(msg), Map.of()));
    }

    private static void header(ArrayNode blocks, String text) {
        blocks.addObject().put("type", "header").putObject("text").put("type", "plain_text")
                .put("text", cut(text, MAX_HEADER)).put("emoji", true);
    }

    private static void section(ArrayNode blocks, String mrkdwn) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn")
                .put("text", cut(mrkdwn, MAX_SECTION));
    }

    /** Slack's mrkdwn escaping: &amp; &lt; &gt; (so a job name or an error can never become a link or a mention). */
    static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** {@code <url|text>}; a URL that would break the link syntax is shown as text instead. */
    private static String link(String url, String escapedText) {
        if (url == null || url.contains("|") || url.contains(">") || url.contains("<") || url.contains(" ")) {
            return escapedText;
        }
        return "<" + url.replace("&", "&amp;") + "|" + escapedText + ">";
    }

    static String cut(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
