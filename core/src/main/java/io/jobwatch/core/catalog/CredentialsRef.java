package io.jobwatch.core.catalog;

/** Where a secret lives; jobwatch.yml never holds the secret itself. */
public sealed interface CredentialsRef permits CredentialsRef.EnvVar, CredentialsRef.SecretsManager {

    /** A human description, safe to print (never the secret). */
    String describe();

    /** The secret is in the environment variable {@code name}. */
    record EnvVar(String name) implements CredentialsRef {
        @Override
        public String describe() {
            return "environment variable " + name;
        }
    }

    /** The secret is in AWS Secrets Manager under {@code secretId} (name or ARN). */
    record SecretsManager(String secretId) implements CredentialsRef {
        @Override
        public String describe() {
            return "Secrets Manager secret " + secretId;
        }
    }
}
