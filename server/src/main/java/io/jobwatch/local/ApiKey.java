package io.jobwatch.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * A key an HTTP call must present ({@code x-api-key: KEY} or {@code Authorization: Bearer KEY}, as an EventBridge API
 * destination and the OpenLineage client send it): the API key that writes need ({@code JOBWATCH_API_KEY}), and the
 * read key that reading needs once the server listens beyond this machine ({@code JOBWATCH_READ_KEY}). From the
 * environment, else generated once and kept in a 0600 file next to the database. Never logged; compared in constant
 * time.
 */
public final class ApiKey {
    public static final String ENV = "JOBWATCH_API_KEY";
    /** The read key's variable: JSON API and dashboard login when serving beyond loopback. */
    public static final String READ_ENV = "JOBWATCH_READ_KEY";

    private final byte[] key;
    private final boolean generated;
    private final Path file;

    private ApiKey(String key, boolean generated, Path file) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.generated = generated;
        this.file = file;
    }

    /** Loads the API key from the environment, else from {@code file}, else generates and stores a new one there. */
    public static ApiKey load(Map<String, String> env, Path file) throws IOException {
        return load(env, file, ENV);
    }

    /** Loads the key from the variable {@code variable}, else from {@code file}, else generates and stores one there. */
    public static ApiKey load(Map<String, String> env, Path file, String variable) throws IOException {
        String fromEnv = env.get(variable);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new ApiKey(fromEnv.trim(), false, null);
        }
        if (Files.exists(file)) {
            return new ApiKey(Files.readString(file, StandardCharsets.UTF_8).trim(), false, file);
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String key = "jw_" + HexFormat.of().formatHex(raw);
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, ".api-key", ".tmp");
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Non-POSIX file systems: the file stays with the default permissions of the temp file.
        }
        Files.writeString(tmp, key + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return new ApiKey(key, true, file);
    }

    /** True when this start created the key: the server prints it once so the user can configure senders. */
    public boolean generated() {
        return generated;
    }

    public Path file() {
        return file;
    }

    /** The key itself, only for printing once at first start. */
    public String reveal() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** Checks the request's {@code x-api-key} or {@code Authorization: Bearer} header in constant time. */
    public boolean accepts(String xApiKey, String authorization) {
        return matches(presented(xApiKey, authorization));
    }

    /** The key a request presents: {@code x-api-key}, else the token of {@code Authorization: Bearer}; or null. */
    static String presented(String xApiKey, String authorization) {
        if (xApiKey != null) {
            return xApiKey;
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        return null;
    }

    /** Whether {@code presented} is this key (constant time). */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(key, presented.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ApiKey[****]";
    }
}
