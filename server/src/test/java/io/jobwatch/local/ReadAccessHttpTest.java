package io.jobwatch.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading needs a key once serve listens beyond loopback; loopback keeps today's no-login convenience. */
class ReadAccessHttpTest {
    static final String API_KEY = "api-key-0123456789";
    static final String READ_KEY = "read-key-0123456789";

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    HttpResponse<String> get(LocalApp app, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri().resolve(path));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> login(LocalApp app, String form, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(app.uri().resolve("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loopback_readsWithoutKey_asBefore() throws Exception {
        try (LocalApp app = LocalApp.start(LocalApp.defaults(dir.resolve("j.db")).bind("127.0.0.1", 0)
                .env(Map.of(ApiKey.ENV, API_KEY)).scheduler(false))) {
            assertThat(get(app, "/").statusCode()).isEqualTo(200);
            assertThat(get(app, "/api/jobs").statusCode()).isEqualTo(200);
            assertThat(get(app, "/login").statusCode()).isEqualTo(303);
            assertThat(app.readKey()).isNull();
            assertThat(Files.exists(dir.resolve("jobwatch.read-key"))).isFalse();
        }
    }

    @Test
    void beyondLoopback_apiNeedsTheReadOrApiKey_pagesNeedALoginSession() throws Exception {
        try (LocalApp app = LocalApp.start(LocalApp.defaults(dir.resolve("j.db")).bind("0.0.0.0", 0)
                .env(Map.of(ApiKey.ENV, API_KEY, ApiKey.READ_ENV, READ_KEY)).scheduler(false))) {
            HttpResponse<String> api = get(app, "/api/jobs");
            assertThat(api.statusCode()).isEqualTo(401);
            assertThat(api.body()).contains("reading needs a key");
            assertThat(get(app, "/api/jobs", "x-api-key", READ_KEY).statusCode()).isEqualTo(200);
            assertThat(get(app, "/api/jobs", "Authorization", "Bearer " + API_KEY).statusCode()).isEqualTo(200);
            assertThat(get(app, "/api/jobs", "x-api-key", READ_KEY + "x").statusCode()).isEqualTo(401);

            HttpResponse<String> page = get(app, "/sla?x=1");
            assertThat(page.statusCode()).isEqualTo(303);
            assertThat(page.headers().firstValue("Location")).hasValue("/login?next=%2Fsla%3Fx%3D1");
            assertThat(get(app, "/login").body()).contains("name=\"key\"").doesNotContain(READ_KEY);
            assertThat(get(app, "/static/dashboard.css").statusCode()).isEqualTo(200);
            assertThat(get(app, "/healthz").statusCode()).isEqualTo(200);

            HttpResponse<String> wrong = login(app, "key=nope&next=%2Fsla");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.headers().firstValue("Set-Cookie")).isEmpty();

            HttpResponse<String> ok = login(app, "key=" + READ_KEY + "&next=%2Fsla%3Fx%3D1");
            assertThat(ok.statusCode()).isEqualTo(303);
            assertThat(ok.headers().firstValue("Location")).hasValue("/sla?x=1");
            String cookie = ok.headers().firstValue("Set-Cookie").orElseThrow();
            assertThat(cookie).matches("jobwatch_session=[0-9a-f]{64}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200");
            String session = cookie.substring(0, cookie.indexOf(';'));
            assertThat(get(app, "/sla", "Cookie", session).statusCode()).isEqualTo(200);
            assertThat(get(app, "/api/jobs", "Cookie", session).statusCode()).isEqualTo(200);
            assertThat(get(app, "/", "Cookie", session).body()).contains("action=\"/logout\"");

            HttpResponse<String> out = http.send(HttpRequest.newBuilder(app.uri().resolve("/logout"))
                    .header("Cookie", session).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(out.headers().firstValue("Set-Cookie").orElseThrow()).contains("Max-Age=0");
            assertThat(get(app, "/sla", "Cookie", session).statusCode()).isEqualTo(303);
        }
    }

    @Test
    void behindTls_theCookieIsSecure_andNextNeverLeavesTheServer() throws Exception {
        try (LocalApp app = LocalApp.start(LocalApp.defaults(dir.resolve("j.db")).bind("0.0.0.0", 0)
                .env(Map.of(ApiKey.ENV, API_KEY, ApiKey.READ_ENV, READ_KEY)).scheduler(false))) {
            HttpResponse<String> ok = login(app, "key=" + API_KEY + "&next=%2F%2Fevil.example%2F",
                    "X-Forwarded-Proto", "https");
            assertThat(ok.headers().firstValue("Set-Cookie").orElseThrow()).endsWith("; Secure");
            assertThat(ok.headers().firstValue("Location")).hasValue("/");
        }
    }

    @Test
    void generatedReadKey_isKeptOwnerOnly_nextToTheDatabase() throws Exception {
        try (LocalApp app = LocalApp.start(LocalApp.defaults(dir.resolve("j.db")).bind("0.0.0.0", 0)
                .env(Map.of(ApiKey.ENV, API_KEY)).scheduler(false))) {
            assertThat(app.readKey().generated()).isTrue();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("jobwatch.read-key")))).isEqualTo("rw-------");
            assertThat(get(app, "/api/jobs", "x-api-key", app.readKey().reveal()).statusCode()).isEqualTo(200);
        }
    }
}
