package io.jobwatch.core.catalog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A setting written as a reference to where its value lives, {@code "${NAME}"}: the value of the environment
 * variable {@code NAME} where Jobwatch runs (on AWS, also a key of the channel secrets in Secrets Manager). The catalog
 * keeps the reference, never the value, so the file can be shared, printed and committed.
 */
public final class SettingRef {
    /** The whole value is one reference: {@code ${SLACK_ERP_WEBHOOK}}. */
    public static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private SettingRef() {
    }

    /** The variable a value names, when the whole value is {@code ${NAME}}. */
    public static Optional<String> name(String value) {
        if (value == null) {
            return Optional.empty();
        }
        Matcher m = REFERENCE.matcher(value.strip());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** Whether a value tries to reference something ({@code ${}) without being exactly one reference. */
    public static boolean malformed(String value) {
        return value != null && value.contains("${") && name(value).isEmpty();
    }

    /** {@code ${NAME}}. */
    public static String of(String name) {
        return "${" + name + "}";
    }
}
