package io.jobwatch.local;

import com.sun.net.httpserver.HttpExchange;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may read the dashboard and the JSON API. On loopback (the default bind) everyone on this machine may, as before.
 * Beyond loopback reading needs a key: the JSON API takes the read key or the API key in {@code x-api-key} or
 * {@code Authorization: Bearer}; the dashboard's pages need a session, which the login page opens for whoever types
 * one of those keys. The session is a 256-bit random token in an {@code HttpOnly; SameSite=Strict} cookie, also
 * {@code Secure} when the request came over TLS (a proxy's {@code X-Forwarded-Proto: https}) or the public URL is
 * https; sessions live in this process only (a restart asks to log in again) for {@link #SESSION} at most. Ping URLs
 * keep their own key and POST /events its API key: neither needs a session.
 */
final class ReadAccess {
    static final String COOKIE = "jobwatch_session";
    static final Duration SESSION = Duration.ofHours(12);
    /** Sessions kept at most: the oldest go first (every login adds one). */
    static final int MAX_SESSIONS = 10_000;

    private final boolean required;
    private final ApiKey readKey;
    private final ApiKey apiKey;
    private final Clock clock;
    private final boolean httpsUrl;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> sessions = new ConcurrentHashMap<>();

    /**
     * @param required whether reading needs a key (the server listens beyond loopback)
     * @param httpsUrl whether the server's public URL is https (cookies then always Secure)
     */
    ReadAccess(boolean required, ApiKey readKey, ApiKey apiKey, Clock clock, boolean httpsUrl) {
        this.required = required;
        this.readKey = readKey;
        this.apiKey = apiKey;
        this.clock = clock;
        this.httpsUrl = httpsUrl;
    }

    boolean required() {
        return required;
    }

    ApiKey readKey() {
        return readKey;
    }

    /** The JSON API: a key header, or the dashboard's session. */
    boolean allowsApi(HttpExchange ex) {
        if (!required) {
            return true;
        }
        String presented = ApiKey.presented(ex.getRequestHeaders().getFirst("x-api-key"),
                ex.getRequestHeaders().getFirst("Authorization"));
        return keyAccepted(presented) || session(ex);
    }

    /** A dashboard page: a session. */
    boolean allowsPage(HttpExchange ex) {
        return !required || session(ex);
    }

    /** Whether {@code key} is the read key or the API key (both compared, constant time each). */
    boolean keyAccepted(String key) {
        boolean read = readKey.matches(key);
        boolean api = apiKey.matches(key);
        return read || api;
    }

    /** Opens a session and returns its Set-Cookie value. */
    String open(HttpExchange ex) {
        prune();
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = HexFormat.of().formatHex(raw);
        sessions.put(token, clock.instant().plus(SESSION));
        return COOKIE + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + SESSION.toSeconds()
                + (secure(ex) ? "; Secure" : "");
    }

    /** Ends the request's session and returns the Set-Cookie value that clears it. */
    String close(HttpExchange ex) {
        String token = token(ex);
        if (token != null) {
            sessions.remove(token);
        }
        return COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0" + (secure(ex) ? "; Secure" : "");
    }

    boolean session(HttpExchange ex) {
        String token = token(ex);
        if (token == null) {
            return false;
        }
        Instant until = sessions.get(token);
        if (until == null) {
            return false;
        }
        if (!clock.instant().isBefore(until)) {
            sessions.remove(token);
            return false;
        }
        return true;
    }

    private boolean secure(HttpExchange ex) {
        String proto = ex.getRequestHeaders().getFirst("X-Forwarded-Proto");
        return httpsUrl || (proto != null && proto.trim().equalsIgnoreCase("https"));
    }

    private static String token(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", java.util.List.of())) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    String t = p.substring(COOKIE.length() + 1);
                    return t.matches("[0-9a-f]{64}") ? t : null;
                }
            }
        }
        return null;
    }

    private void prune() {
        Instant now = clock.instant();
        sessions.values().removeIf(until -> !now.isBefore(until));
        if (sessions.size() >= MAX_SESSIONS) {
            Iterator<Map.Entry<String, Instant>> it = sessions.entrySet().stream()
                    .sorted(Map.Entry.comparingByValue()).iterator();
            while (sessions.size() >= MAX_SESSIONS && it.hasNext()) {
                sessions.remove(it.next().getKey());
            }
        }
    }

    int sessions() {
        return sessions.size();
    }
}
