package io.jobwatch.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/**
 * {@code GET /login} (the form), {@code POST /login} (the read key or the API key → a session cookie, then back to
 * the page asked for) and {@code POST /logout}. Only where reading needs a key ({@link ReadAccess#required()}); on
 * loopback both just lead to the dashboard.
 */
final class LoginHandler implements HttpHandler {
    private final ReadAccess access;
    private final ObjectMapper mapper;
    private final Clock clock;

    LoginHandler(ReadAccess access, ObjectMapper mapper, Clock clock) {
        this.access = access;
        this.mapper = mapper;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            if (path.equals("/logout")) {
                if (!method.equals("POST")) {
                    Http.methodNotAllowed(ex, mapper, "POST");
                    return;
                }
                ex.getResponseHeaders().add("Set-Cookie", access.close(ex));
                Http.redirect(ex, access.required() ? "/login" : "/");
                return;
            }
            if (!path.equals("/login")) {
                Http.html(ex, 404, Dashboard.message("Not found", "There is no page " + path + ".", clock.instant()));
                return;
            }
            if (!access.required()) {
                Http.redirect(ex, "/");
                return;
            }
            if (method.equals("GET") || method.equals("HEAD")) {
                Http.html(ex, 200, Dashboard.login(safe(Http.query(ex).get("next")), null, clock.instant()));
                return;
            }
            if (!method.equals("POST")) {
                Http.methodNotAllowed(ex, mapper, "GET, POST");
                return;
            }
            Map<String, String> form;
            try {
                form = Http.params(new String(Http.readBody(ex, 8192), StandardCharsets.UTF_8));
            } catch (Http.TooLarge e) {
                Http.error(ex, mapper, 413, e.getMessage());
                return;
            }
            String next = safe(form.get("next"));
            if (!access.keyAccepted(form.get("key"))) {
                Http.html(ex, 401, Dashboard.login(next, "That is not the read key or the API key. The read key is in"
                        + " JOBWATCH_READ_KEY, or in the jobwatch.read-key file next to the database (printed when the"
                        + " server first started).", clock.instant()));
                return;
            }
            ex.getResponseHeaders().add("Set-Cookie", access.open(ex));
            Http.redirect(ex, next);
        } finally {
            ex.close();
        }
    }

    /** A local path to go back to after login; anything else (another host, scheme-relative) becomes {@code /}. */
    static String safe(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.chars().anyMatch(c -> c < 0x20)) {
            return "/";
        }
        return next;
    }
}
