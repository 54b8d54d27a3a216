package io.jobwatch.core.catalog;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * How to reach ServiceNow.
 *
 * @param instanceUrl the instance, e.g. https://example.service-now.com (empty: incidents are not sent)
 * @param username    the integration user
 * @param password    where the password lives (env var or Secrets Manager)
 */
public record IncidentSettings(Optional<URI> instanceUrl, Optional<String> username, Optional<CredentialsRef> password) {
    public IncidentSettings {
        Objects.requireNonNull(instanceUrl, "instanceUrl");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** True when incidents can be sent (an instance is configured). */
    public boolean configured() {
        return instanceUrl.isPresent();
    }
}
