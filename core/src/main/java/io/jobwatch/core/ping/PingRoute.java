package io.jobwatch.core.ping;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads a ping URL the way Healthchecks' slug routes do: {@code /ping/<ping-key>/<slug>} and {@code …/start},
 * {@code …/fail}, {@code …/log}, {@code …/<exit-status>}, with an optional {@code ?rid=<uuid>}. Healthchecks' answers
 * for bad URLs are kept (a path that is no ping route: 404; an exit status over 255 or a slug with upper-case
 * letters: 400 "invalid url format"; a rid that is not a UUID: 400 "invalid uuid format"), each with what is wrong.
 */
public final class PingRoute {
    /** Healthchecks' slugs: lower-case letters, digits, '-' and '_' (upper case is refused, not folded). */
    static final Pattern SLUG = Pattern.compile("[a-z0-9_-]{1,100}");
    private static final Pattern ANY_SLUG = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** The path prefix of every ping. */
    public static final String PREFIX = "/ping/";

    private PingRoute() {
    }

    /** A ping URL as read: the key (not yet checked), the job's slug, the signal and the run id (lower case) if given. */
    public record Ping(String key, String slug, PingSignal signal, String rid) {
        @Override
        public String toString() {
            // Never the key: this string may reach a log.
            return "Ping[slug=" + slug + ", signal=" + signal + ", rid=" + rid + "]";
        }
    }

    /** Why a URL is not a ping: the HTTP status Healthchecks answers and a message saying what to fix. */
    public record Invalid(int status, String message) {
    }

    /** The outcome of reading a URL: exactly one of the two is set. */
    public record Parsed(Ping ping, Invalid invalid) {
        public boolean ok() {
            return ping != null;
        }
    }

    /**
     * @param path the request path, still percent-encoded (ping keys and slugs need no encoding; an encoded one is no
     *             ping route)
     * @param rid  the {@code rid} query parameter, or null when absent
     */
    public static Parsed parse(String path, String rid) {
        if (path == null || !path.startsWith(PREFIX)) {
            return invalid(404, "not found: pings go to " + PREFIX + "<ping-key>/<slug>");
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        if (parts.length < 2 || parts.length > 3 || !KEY.matcher(parts[0]).matches()
                || !ANY_SLUG.matcher(parts[1]).matches()) {
            return invalid(404, "not found: pings go to " + PREFIX + "<ping-key>/<slug> with an optional /start,"
                    + " /fail, /log or /<exit-status>");
        }
        String slug = parts[1];
        if (!SLUG.matcher(slug).matches()) {
            return invalid(400, "invalid url format: the slug '" + slug + "' must be 1 to 100 lower-case letters,"
                    + " digits, '-' or '_' (write '" + slug.toLowerCase(Locale.ROOT) + "')");
        }
        PingSignal signal;
        if (parts.length == 2) {
            signal = new PingSignal.Success();
        } else {
            String s = parts[2];
            if (s.equals("start")) {
                signal = new PingSignal.Start();
            } else if (s.equals("fail")) {
                signal = new PingSignal.Fail();
            } else if (s.equals("log")) {
                signal = new PingSignal.Log();
            } else if (DIGITS.matcher(s).matches()) {
                int status = Integer.parseInt(s);
                if (status > 255) {
                    return invalid(400, "invalid url format: exit status " + status + " is over 255; send the"
                            + " script's exit status, 0 to 255");
                }
                signal = new PingSignal.ExitStatus(status);
            } else {
                return invalid(404, "not found: after the slug comes /start, /fail, /log or /<exit-status 0-255>");
            }
        }
        if (rid != null && !UUID.matcher(rid).matches()) {
            return invalid(400, "invalid uuid format: rid must be a UUID such as"
                    + " 5bf66975-d4c7-4bf5-bcc8-b8d8a82ea278 (one per run, the same on its start and its end)");
        }
        return new Parsed(new Ping(parts[0], slug, signal, rid == null ? null : rid.toLowerCase(Locale.ROOT)), null);
    }

    private static Parsed invalid(int status, String message) {
        return new Parsed(null, new Invalid(status, message));
    }
}
