package io.jobwatch.servicenow;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to reach ServiceNow. Built from the catalog's incidents section, overridden by the environment
 * ({@link #fromEnv}). {@code toString()} shows no secret.
 *
 * @param instance       base URL, e.g. https://example.service-now.com (no trailing slash)
 * @param credentials    basic or bearer
 * @param fields         caller, category, close code
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout whole-request timeout
 */
public record ServiceNowSettings(URI instance, Credentials credentials, IncidentDefaults fields,
                                 Duration connectTimeout, Duration requestTimeout) {

    public static final String ENV_URL = "SERVICENOW_URL";
    public static final String ENV_USER = "SERVICENOW_USER";
    public static final String ENV_PASSWORD = "SERVICENOW_PASSWORD";
    public static final String ENV_TOKEN = "SERVICENOW_TOKEN";

    public ServiceNowSettings {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    /** 5 s connect, 20 s per request, default fields. */
    public static ServiceNowSettings of(String instanceUrl, Credentials credentials) {
        return new ServiceNowSettings(parseUrl(instanceUrl, "the ServiceNow URL"), credentials, IncidentDefaults.defaults(),
                Duration.ofSeconds(5), Duration.ofSeconds(20));
    }

    public ServiceNowSettings withFields(IncidentDefaults f) {
        return new ServiceNowSettings(instance, credentials, f, connectTimeout, requestTimeout);
    }

    public ServiceNowSettings withTimeouts(Duration connect, Duration request) {
        return new ServiceNowSettings(instance, credentials, fields, connect, request);
    }

    /**
     * Settings from the environment over {@code base} (the catalog's section, or null): {@code SERVICENOW_URL}
     * replaces the URL; {@code SERVICENOW_TOKEN} (bearer) or {@code SERVICENOW_USER} + {@code SERVICENOW_PASSWORD}
     * (basic) replace the credentials. Empty when no URL is configured anywhere (incidents then go to a dry run or
     * nowhere, the caller decides).
     *
     * @throws IllegalArgumentException naming the variable to fix (never its value when it is a secret)
     */
    public static Optional<ServiceNowSettings> fromEnv(Map<String, String> env, ServiceNowSettings base) {
        String url = blankToNull(env.get(ENV_URL));
        if (url == null && base == null) {
            return Optional.empty();
        }
        URI instance = url != null ? parseUrl(url, ENV_URL) : base.instance();
        String user = blankToNull(env.get(ENV_USER));
        String password = blankToNull(env.get(ENV_PASSWORD));
        String token = blankToNull(env.get(ENV_TOKEN));
        Credentials credentials;
        if (token != null && (user != null || password != null)) {
            throw new IllegalArgumentException("set either " + ENV_TOKEN + " (bearer) or " + ENV_USER + " and "
                    + ENV_PASSWORD + " (basic), not both");
        } else if (token != null) {
            credentials = new Credentials.Bearer(token);
        } else if (user != null && password != null) {
            credentials = new Credentials.Basic(user, password);
        } else if (user != null) {
            throw new IllegalArgumentException(ENV_USER + " is set but " + ENV_PASSWORD + " is not: set both for basic auth");
        } else if (password != null) {
            throw new IllegalArgumentException(ENV_PASSWORD + " is set but " + ENV_USER + " is not: set both for basic auth");
        } else if (base != null) {
            credentials = base.credentials();
        } else {
            throw new IllegalArgumentException(ENV_URL + " is set but no credentials are: set " + ENV_USER + " and "
                    + ENV_PASSWORD + " (basic) or " + ENV_TOKEN + " (bearer)");
        }
        if (base == null) {
            ServiceNowSettings s = of(instance.toString(), credentials);
            return Optional.of(s);
        }
        return Optional.of(new ServiceNowSettings(instance, credentials, base.fields(), base.connectTimeout(), base.requestTimeout()));
    }

    private static URI parseUrl(String url, String where) {
        String trimmed = url.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalArgumentException(where + " must be an http(s) URL like https://example.service-now.com, got '" + (url.contains("@") ? "(a URL with credentials, not shown)" : url) + "'");
            }
            if (uri.getUserInfo() != null) {
                throw new IllegalArgumentException(where + " must not carry credentials: use " + ENV_USER + "/" + ENV_PASSWORD + " or " + ENV_TOKEN);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(where + " is not a URL (" + e.getReason() + "): expected e.g. https://example.service-now.com");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
