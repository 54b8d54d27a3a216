package io.jobwatch.notify;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.ChannelSpec;
import io.jobwatch.core.channel.Channel;
import io.jobwatch.core.channel.ChannelContext;
import io.jobwatch.core.channel.ChannelFactory;
import io.jobwatch.core.channel.ChannelSettings;
import io.jobwatch.core.channel.DeliveryException;
import io.jobwatch.core.channel.DigestNotice;
import io.jobwatch.core.channel.IncidentNotice;
import io.jobwatch.core.digest.DigestSummary;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code teams} channel: Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received" /
 * "Send webhook alerts to a channel") or a legacy incoming webhook. Both take the same envelope: a {@code message}
 * whose one attachment is an Adaptive Card (version 1.2, {@code application/vnd.microsoft.card.adaptive}). Incident
 * actions as a card with the summary, the facts (job, system, state, run, incident number, criticality, account), the
 * error excerpt and a button to the AWS console; the team's digest as a short card (counts and the top items).
 *
 * <p>Catalog: {@code {type: teams, url: "${TEAMS_ERP_WEBHOOK}"}} — the URL carries its signature, so it is only ever a
 * reference. Success is 202 (Workflows: accepted, run later) or 200 with body {@code 1} (legacy webhooks; an empty
 * 200 is taken as well). A legacy webhook reports failures as 200 with a text such as "Webhook message delivery failed
 * with error: Microsoft Teams endpoint returned HTTP error 429 …": a 429 or 5xx inside is tried again, anything else
 * is refused for good. HTTP 429 and 5xx are tried again; other 4xx refused.
 */
public final class TeamsChannel extends HttpChannel {
    static final String CARD = "application/vnd.microsoft.card.adaptive";
    private static final Pattern PASSING_IN_TEXT = Pattern.compile("\\b(429|5\\d\\d)\\b");

    /** The {@code teams} type. */
    public static final ChannelFactory FACTORY = new ChannelFactory() {
        @Override
        public String type() {
            return "teams";
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
            return new TeamsChannel(settings, context, null);
        }
    };

    /** @param http the client to use, or null for the shared one */
    public TeamsChannel(ChannelSettings settings, ChannelContext context, HttpClient http) {
        super("teams", settings, "url", null, context, http);
    }

    @Override
    protected Optional<Request> incident(IncidentNotice n) {
        ObjectNode message = JSON.createObjectNode();
        ObjectNode card = envelope(message);
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", esc(n.summary())).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true).put("color", n.resolved() ? "Good" : "Attention");
        body.addObject().put("type", "TextBlock").put("text", esc(n.note())).put("wrap", true);
        ArrayNode facts = body.addObject().put("type", "FactSet").putArray("facts");
        for (IncidentNotice.Field f : n.fields()) {
            if (!f.label().equals("Error") && !f.label().equals("Detail")) {
                facts.addObject().put("title", f.label()).put("value", esc(f.value()));
            }
        }
        if (n.error() != null && !n.resolved()) {
            body.addObject().put("type", "TextBlock").put("text", esc(n.error())).put("wrap", true)
                    .put("fontType", "Monospace").put("color", "Attention");
        }
        body.addObject().put("type", "TextBlock").put("text", esc("Jobwatch · " + n.team() + " · correlation id "
                + n.correlationId())).put("wrap", true).put("isSubtle", true).put("size", "Small");
        if (n.consoleLink() != null) {
            card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", "Open in the AWS console")
                    .put("url", n.consoleLink());
        }
        return Optional.of(new Request(json(message), Map.of()));
    }

    @Override
    protected Optional<Request> digest(DigestNotice notice) {
        DigestSummary d = DigestSummary.of(notice.digest());
        ObjectNode message = JSON.createObjectNode();
        ObjectNode card = envelope(message);
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", esc(d.title())).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true);
        body.addObject().put("type", "TextBlock").put("text", esc(d.window())).put("wrap", true).put("isSubtle", true);
        body.addObject().put("type", "TextBlock").put("text", esc(d.counts())).put("wrap", true).put("weight", "Bolder");
        body.addObject().put("type", "TextBlock").put("text", esc(d.runs())).put("wrap", true);
        for (String item : d.top()) {
            body.addObject().put("type", "TextBlock").put("text", "- " + esc(item)).put("wrap", true);
        }
        if (d.more() > 0) {
            body.addObject().put("type", "TextBlock").put("text", "… and " + d.more() + " more in the e-mail digest")
                    .put("wrap", true).put("isSubtle", true);
        }
        if (d.previousNote() != null) {
            body.addObject().put("type", "TextBlock").put("text", esc(d.previousNote())).put("wrap", true)
                    .put("color", "Warning");
        }
        return Optional.of(new Request(json(message), Map.of()));
    }

    /** The message envelope both webhook kinds take; returns the card to fill. */
    private static ObjectNode envelope(ObjectNode message) {
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", CARD);
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.2");
        return card;
    }

    /** 202 (Workflows) or 200 with "1" or nothing (legacy); a legacy error arrives as a 200 with its text. */
    @Override
    protected void accept(Response r) throws DeliveryException {
        if (r.status() == 200) {
            String body = r.body() == null ? "" : r.body().strip();
            if (body.isEmpty() || body.equals("1")) {
                return;
            }
            boolean passing = PASSING_IN_TEXT.matcher(body).find();
            throw failure(r, "HTTP 200 with an error" + reason(body), passing, null);
        }
        super.accept(r);
    }

    /**
     * Adaptive Card text is a small Markdown (bold, italic, lists, links) with no escape that every Teams client
     * honours (backslashes show on mobile), so text is left as it is, except that a link in an error or a job name
     * ({@code [text](url)}) is broken up: only Jobwatch's own button links.
     */
    static String esc(String s) {
        return s == null ? "" : s.replace("](", "] (");
    }
}
