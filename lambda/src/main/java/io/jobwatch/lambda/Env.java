package io.jobwatch.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The handlers' configuration, read once from the environment at init (names shared with the infrastructure, see
 * infra's {@code JobwatchNames}). Optional values are empty when unset or blank.
 *
 * @param table              DynamoDB table ({@code JOBWATCH_TABLE}, required)
 * @param catalog            the catalog file ({@code JOBWATCH_CATALOG}, default {@value #DEFAULT_CATALOG})
 * @param retention          how long runs are kept after their last update ({@code JOBWATCH_RETENTION_DAYS}, default 7)
 * @param region             AWS region ({@code AWS_REGION}, set by Lambda); empty: the SDK's default chain decides
 * @param sesFrom            digest sender for SES ({@code JOBWATCH_SES_FROM})
 * @param snsTopicArn        digest topic ({@code JOBWATCH_SNS_TOPIC_ARN})
 * @param serviceNowSecretId Secrets Manager id of the ServiceNow credentials ({@code SERVICENOW_SECRET_ID})
 * @param serviceNowInstance ServiceNow base URL ({@code SERVICENOW_INSTANCE})
 */
public record Env(String table, Path catalog, Duration retention, Optional<String> region, Optional<String> sesFrom,
                  Optional<String> snsTopicArn, Optional<String> serviceNowSecretId,
                  Optional<String> serviceNowInstance) {

    public static final String TABLE = "JOBWATCH_TABLE";
    public static final String CATALOG = "JOBWATCH_CATALOG";
    public static final String RETENTION_DAYS = "JOBWATCH_RETENTION_DAYS";
    public static final String SES_FROM = "JOBWATCH_SES_FROM";
    public static final String SNS_TOPIC_ARN = "JOBWATCH_SNS_TOPIC_ARN";
    public static final String SERVICENOW_SECRET_ID = "SERVICENOW_SECRET_ID";
    public static final String SERVICENOW_INSTANCE = "SERVICENOW_INSTANCE";
    public static final String REGION = "AWS_REGION";
    /** Where the deployment package puts the catalog: next to lib/jobwatch-lambda.jar. */
    public static final String DEFAULT_CATALOG = "/var/task/jobwatch.yml";

    /**
     * Reads the variables.
     *
     * @throws IllegalArgumentException naming the variable, what was expected and how to fix it
     */
    public static Env from(Map<String, String> env) {
        String table = value(env, TABLE).orElseThrow(() -> new IllegalArgumentException(
                TABLE + " is not set: set it to the DynamoDB table name (the stack sets it to the table it creates)"));
        Duration retention = Duration.ofDays(7);
        Optional<String> days = value(env, RETENTION_DAYS);
        if (days.isPresent()) {
            long d;
            try {
                d = Long.parseLong(days.get());
            } catch (NumberFormatException e) {
                d = -1;
            }
            if (d < 1) {
                throw new IllegalArgumentException(RETENTION_DAYS + " must be a whole number of days ≥ 1, was '"
                        + days.get() + "'");
            }
            retention = Duration.ofDays(d);
        }
        return new Env(table, Path.of(value(env, CATALOG).orElse(DEFAULT_CATALOG)), retention, value(env, REGION),
                value(env, SES_FROM), value(env, SNS_TOPIC_ARN), value(env, SERVICENOW_SECRET_ID),
                value(env, SERVICENOW_INSTANCE));
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
