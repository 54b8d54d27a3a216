package io.jobwatch.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.servicenow.Credentials;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads the ServiceNow credentials from Secrets Manager (GetSecretValue). The secret is JSON:
 * {@code {"user": "…", "password": "…"}} (basic; "username" is accepted too) or {@code {"token": "…"}} (bearer); a
 * plain-text secret is taken as the password of the catalog's {@code incidents.username}. Error messages name the
 * secret and the keys, never a value.
 */
final class ServiceNowSecret {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceNowSecret() {
    }

    static Credentials read(SecretsManagerClient secrets, String secretId, Optional<String> catalogUser) {
        String value = secrets.getSecretValue(b -> b.secretId(secretId)).secretString();
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("secret " + secretId + " has no text value: store {\"user\":…,"
                    + "\"password\":…} or {\"token\":…} as the secret string");
        }
        return parse(value, secretId, catalogUser);
    }

    static Credentials parse(String value, String secretId, Optional<String> catalogUser) {
        String trimmed = value.trim();
        if (!trimmed.startsWith("{")) {
            return new Credentials.Basic(catalogUser.orElseThrow(() -> new IllegalStateException("secret " + secretId
                    + " is plain text (a password) but the catalog names no incidents.username: store {\"user\":…,"
                    + "\"password\":…} instead")), trimmed);
        }
        JsonNode node;
        try {
            node = JSON.readTree(trimmed);
        } catch (IOException e) {
            // The parser's message may quote the secret: do not pass it on.
            throw new IllegalStateException("secret " + secretId + " is not valid JSON: store {\"user\":…,"
                    + "\"password\":…} or {\"token\":…}");
        }
        String token = text(node, "token");
        String user = text(node, "user") != null ? text(node, "user") : text(node, "username");
        String password = text(node, "password");
        if (token != null && user == null && password == null) {
            return new Credentials.Bearer(token);
        }
        if (token == null && password != null && (user != null || catalogUser.isPresent())) {
            return new Credentials.Basic(user != null ? user : catalogUser.get(), password);
        }
        throw new IllegalStateException("secret " + secretId + " must hold either \"token\" or \"user\" and "
                + "\"password\" (found keys: " + String.join(", ", (Iterable<String>) node::fieldNames) + ")");
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }
}
