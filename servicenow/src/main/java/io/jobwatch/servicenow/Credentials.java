package io.jobwatch.servicenow;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** How Jobwatch authenticates to ServiceNow. {@code toString()} never shows a secret. */
public sealed interface Credentials permits Credentials.Basic, Credentials.Bearer {

    /** The Authorization header value. Only the HTTP client sees it; never log it. */
    String authorizationHeader();

    /** Basic auth for an integration user with the ITIL role (or enough ACL rights on incident). */
    record Basic(String user, String password) implements Credentials {
        public Basic {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String authorizationHeader() {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "Basic[user=" + user + ", password=****]";
        }
    }

    /** An OAuth 2.0 access token (obtained and refreshed outside Jobwatch). */
    record Bearer(String token) implements Credentials {
        public Bearer {
            Objects.requireNonNull(token, "token");
        }

        @Override
        public String authorizationHeader() {
            return "Bearer " + token;
        }

        @Override
        public String toString() {
            return "Bearer[token=****]";
        }
    }
}
