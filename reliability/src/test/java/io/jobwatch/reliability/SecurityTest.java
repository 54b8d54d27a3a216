package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.catalog.Team;
import io.jobwatch.core.digest.Digest;
import io.jobwatch.core.digest.HtmlDigestRenderer;
import io.jobwatch.core.digest.TeamDigests;
import io.jobwatch.core.store.StoreFixtures;
import io.jobwatch.core.testing.TestClock;
import io.jobwatch.local.ApiKey;
import io.jobwatch.local.LocalApp;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API-key checks on every write, and XSS payloads in job names and errors through the dashboard and the digest. */
class SecurityTest {
    static final String KEY = "sec-key-0c9a4e";
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final List<String> XSS = List.of(
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "'><svg onload=alert(1)>",
            "</title><script>alert(1)</script>",
            "<iframe src=//evil.example>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<body onload=alert(1)>",
            "<style>@import'//evil.example'</style>");

    @TempDir
    Path dir;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    HttpResponse<String> send(LocalApp app, String method, String path, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri().resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String failed(String id, String job, String error, Instant at) throws Exception {
        ObjectNode e = (ObjectNode) MAPPER.readTree(Files.readString(StoreFixtures.repo()
                .resolve("examples/events/glue-job/failed.json")));
        e.put("id", id).put("time", at.toString()).put("account", "123456789012").put("region", "eu-west-1");
        ((ObjectNode) e.path("detail")).put("jobName", job).put("jobRunId", "jr_" + id).put("message", error);
        return MAPPER.writeValueAsString(e);
    }

    @Test
    void everyWriteNeedsTheApiKey_andNothingChangesWithoutIt() throws Exception {
        try (LocalApp app = LocalApp.start(LocalApp.defaults(dir.resolve("a.db")).bind("127.0.0.1", 0)
                .env(Map.of(ApiKey.ENV, KEY)).scheduler(false))) {
            assertThat(app.loopbackOnly()).isTrue();
            String event = failed("e1", "orders-etl", "boom", Instant.parse("2026-03-02T01:00:00Z"));
            int refused = 0;
            for (String[] headers : List.of(new String[0], new String[] {"x-api-key", KEY + "x"},
                    new String[] {"Authorization", "Bearer " + KEY.substring(1)}, new String[] {"x-api-key", ""})) {
                assertThat(send(app, "POST", "/events", event, headers).statusCode()).isEqualTo(401);
                assertThat(send(app, "POST", "/api/outbox/retry", "", headers).statusCode()).isEqualTo(401);
                refused += 2;
            }
            assertThat(send(app, "POST", "/api/outbox/retry", "key=wrong", "Content-Type",
                    "application/x-www-form-urlencoded").statusCode()).isEqualTo(401);
            // Other methods on the write endpoints are not a way around the key.
            for (String method : List.of("PUT", "DELETE", "PATCH")) {
                assertThat(send(app, method, "/events", event, "x-api-key", KEY + "x").statusCode())
                        .as(method).isIn(401, 405);
            }
            assertThat(app.store().latestPerJob()).isEmpty();
            assertThat(app.incidents().pending()).isEmpty();
            assertThat(send(app, "POST", "/events", event, "x-api-key", KEY).statusCode()).isEqualTo(200);
            assertThat(app.store().latestPerJob()).hasSize(1);
            ReliabilityLedger.record(new ReliabilityLedger.Row("security", "API key on every write",
                    "POST /events and POST /api/outbox/retry with no key, a wrong key, a truncated bearer key, an "
                            + "empty key, a wrong form key; PUT/DELETE/PATCH on /events", refused + 4, 0, 0, -1,
                    "every request refused (401/405), nothing stored or sent; the right key is accepted"));
        }
    }

    @Test
    void xssPayloadsInJobNamesAndErrors_areEscapedOnEveryPage_andInTheDigest() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-03-02T08:00:00Z"));
        try (LocalApp app = LocalApp.start(LocalApp.defaults(dir.resolve("x.db")).bind("127.0.0.1", 0)
                .catalogFile(StoreFixtures.repo().resolve("examples/jobwatch.yml")).clock(clock).env(Map.of(ApiKey.ENV, KEY)).scheduler(false))) {
            for (int i = 0; i < XSS.size(); i++) {
                String body = failed("x" + i, "erp-" + XSS.get(i), "Error: " + XSS.get(i),
                        Instant.parse("2026-03-02T07:00:00Z").plusSeconds(i));
                assertThat(send(app, "POST", "/events", body, "x-api-key", KEY).statusCode()).isEqualTo(200);
            }
            List<String> pages = new ArrayList<>();
            for (String path : List.of("/", "/incidents", "/sla", "/?q=" + URLEncoder.encode(XSS.get(0),
                    StandardCharsets.UTF_8))) {
                pages.add(send(app, "GET", path, null).body());
            }
            String home = pages.get(0);
            List<String> jobLinks = new ArrayList<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("href=\"(/jobs/[^\"]+)\"").matcher(home);
            while (m.find()) {
                jobLinks.add(m.group(1).replace("&amp;", "&"));
            }
            assertThat(jobLinks).hasSizeGreaterThanOrEqualTo(XSS.size());
            for (String link : jobLinks) {
                HttpResponse<String> job = send(app, "GET", link, null);
                assertThat(job.statusCode()).as(link).isEqualTo(200);
                pages.add(job.body());
            }
            int digests = 0;
            TeamDigests teamDigests = new TeamDigests(app.store(), app.catalog(), app.incidents(), clock);
            for (Team team : app.catalog().teams().values()) {
                Optional<Digest> d = teamDigests.of(team, clock.instant(), Duration.ofDays(1));
                if (d.isPresent()) {
                    pages.add(new HtmlDigestRenderer().render(d.get()));
                    digests++;
                }
            }
            String all = String.join("\n", pages);
            for (String payload : XSS) {
                assertThat(all).doesNotContain(payload);
            }
            // The dashboard's own script tag is the only tag of these kinds allowed in any output.
            // ... and the job page's own history charts (inline SVG drawn by the server, every label escaped).
            String foreign = all.replace("<script src=\"/static/dashboard.js\" defer></script>", "")
                    .replace("<svg id=\"history-success\" class=\"chart trend\"", "")
                    .replace("<svg id=\"history-duration\" class=\"chart trend\"", "");
            for (String tag : List.of("<script", "<img", "<iframe", "<svg", "<body onload", "<style", "<a href=\"javascript")) {
                assertThat(foreign).as(tag).doesNotContain(tag);
            }
            assertThat(all).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
            assertThat(String.join("", pages.subList(pages.size() - digests, pages.size())))
                    .as("a digest lists the evil jobs, escaped").contains("erp-&lt;script&gt;alert(1)&lt;/script&gt;");
            ReliabilityLedger.record(new ReliabilityLedger.Row("security", "XSS payloads in job names and errors",
                    XSS.size() + " payloads (script, img onerror, svg onload, </title>, iframe, javascript: link, "
                            + "body onload, style @import) as job names and error messages",
                    XSS.size(), XSS.size(), 0, -1, "every payload stored and shown escaped on " + (pages.size() - digests)
                            + " dashboard pages (home, incidents, SLA, search, each job) and " + digests
                            + " team digest(s) (HTML renderer); no raw tag in any output"));
        }
    }
}
