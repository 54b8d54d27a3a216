package io.jobwatch.export.s3;

import java.util.Locale;

/** Server-side encryption of exported objects, as configured. */
public sealed interface Encryption {

    /** No SSE header: the bucket's default encryption applies (S3 encrypts with SSE-S3 by default). */
    record None() implements Encryption {
    }

    /** SSE-S3: {@code x-amz-server-side-encryption: AES256}. */
    record S3Managed() implements Encryption {
    }

    /** SSE-KMS with the given key (id, ARN or alias), or the account's {@code aws/s3} key when null. */
    record Kms(String keyId) implements Encryption {
    }

    /**
     * From config: {@code none}, {@code AES256} or {@code aws:kms} (case-insensitive); a KMS key id only with
     * {@code aws:kms}.
     */
    static Encryption parse(String mode, String kmsKeyId) {
        String m = mode == null ? "none" : mode.trim().toLowerCase(Locale.ROOT);
        Encryption e = switch (m) {
            case "", "none" -> new None();
            case "aes256", "sse-s3" -> new S3Managed();
            case "aws:kms", "sse-kms" -> new Kms(kmsKeyId == null || kmsKeyId.isBlank() ? null : kmsKeyId.trim());
            default -> throw new IllegalArgumentException("unknown server-side encryption '" + mode
                    + "' (expected none, AES256 or aws:kms)");
        };
        if (!(e instanceof Kms) && kmsKeyId != null && !kmsKeyId.isBlank()) {
            throw new IllegalArgumentException("a KMS key id is set but encryption is '" + m
                    + "'; set encryption to aws:kms or remove the key id");
        }
        return e;
    }
}
