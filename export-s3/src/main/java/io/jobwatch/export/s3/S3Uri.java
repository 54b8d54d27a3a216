package io.jobwatch.export.s3;

import io.jobwatch.core.export.AthenaDdl;

/**
 * An export target written {@code s3://bucket/prefix}: the bucket, and the key prefix the export's keys go under
 * ({@code ""} or ending in '/').
 */
public record S3Uri(String bucket, String prefix) {

    public S3Uri {
        AthenaDdl.location(bucket, prefix); // validates both, with a clear message
        prefix = AthenaDdl.normalizePrefix(prefix);
    }

    /** Parses {@code s3://bucket}, {@code s3://bucket/} or {@code s3://bucket/some/prefix[/]}. */
    public static S3Uri parse(String uri) {
        String text = uri == null ? "" : uri.trim();
        if (!text.startsWith("s3://") || text.length() == "s3://".length()) {
            throw new IllegalArgumentException("not an S3 location: '" + uri + "' (expected s3://bucket/prefix)");
        }
        String rest = text.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        return new S3Uri(bucket, prefix);
    }

    /** The full key of an export key: prefix + key. */
    public String key(String relative) {
        return prefix + relative;
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
