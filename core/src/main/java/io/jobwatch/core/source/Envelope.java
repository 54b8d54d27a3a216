package io.jobwatch.core.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The EventBridge envelope fields every source shares; account and region always come from here.
 *
 * @param time    the envelope time
 * @param rawTime the envelope time as written (a crawler's Started event names its run with it)
 */
public record Envelope(String id, String source, String detailType, String account, String region, Instant time,
                String rawTime, JsonNode resources, JsonNode detail) {

    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

    /** The 12-digit account id of the envelope, or a rejection naming {@code account}. */
    public static String requireAccount(JsonNode root) {
        String account = Fields.text(root, "", "account");
        if (!ACCOUNT.matcher(account).matches()) {
            throw new MalformedEventException("account", "a 12-digit AWS account id", "\"" + Fields.clip(account) + "\"");
        }
        return account;
    }

    /** The region of the envelope, or a rejection naming {@code region}. */
    public static String requireRegion(JsonNode root) {
        String region = Fields.text(root, "", "region");
        if (!REGION.matcher(region).matches()) {
            throw new MalformedEventException("region", "an AWS region such as eu-west-1", "\"" + Fields.clip(region) + "\"");
        }
        return region;
    }

    /** resources[0] as a string, for sources that put the run's ARN only there (DataSync). */
    public String firstResource() {
        if (resources == null || resources.isNull()) {
            throw new MalformedEventException("resources", "an array with the execution ARN first", "nothing (field missing)");
        }
        if (!resources.isArray()) {
            throw new MalformedEventException("resources", "an array with the execution ARN first", Fields.describe(resources));
        }
        if (resources.isEmpty()) {
            throw new MalformedEventException("resources[0]", "the execution ARN", "an empty array");
        }
        JsonNode first = resources.get(0);
        if (!first.isTextual() || first.textValue().isBlank()) {
            throw new MalformedEventException("resources[0]", "the execution ARN (a string)", Fields.describe(first));
        }
        return first.textValue();
    }
}
