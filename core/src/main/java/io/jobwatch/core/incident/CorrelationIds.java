package io.jobwatch.core.incident;

import io.jobwatch.core.run.JobKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The ServiceNow correlation_id of a job problem: stable across restarts and installations, so a lookup finds the
 * open incident instead of opening a second one.
 *
 * <p>Readable when possible: {@code source:account:region:job} for failures (as in examples/servicenow) and
 * {@code source:account:region:job:KIND} for the other kinds. correlation_id holds at most 100 characters and is
 * used inside an encoded query ({@code ^} joins conditions, {@code =} compares), so a key that is too long or holds
 * characters outside {@code [A-Za-z0-9._:/@+-]} becomes {@code jobwatch:<first 40 hex of SHA-256(readable)>}.
 */
public final class CorrelationIds {
    /** ServiceNow's column size of incident.correlation_id. */
    public static final int MAX_LENGTH = 100;

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:/@+\\-]+");

    private CorrelationIds() {
    }

    public static String of(JobKey job, ProblemKind kind) {
        String readable = kind == ProblemKind.FAILURE ? job.id() : job.id() + ":" + kind.name();
        if (readable.length() <= MAX_LENGTH && SAFE.matcher(readable).matches()) {
            return readable;
        }
        return "jobwatch:" + sha256Hex(readable).substring(0, 40);
    }

    private static String sha256Hex(String s) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
