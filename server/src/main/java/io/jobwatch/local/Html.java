package io.jobwatch.local;

/** The dashboard's name for the one HTML escaping function (core's, shared with the digest). */
public final class Html {
    private Html() {
    }

    /**
     * Escapes {@code & < > " '} so the value is inert in element text and in quoted attribute values. Null becomes "".
     * Other characters pass through: pages are UTF-8.
     */
    public static String esc(Object value) {
        return io.jobwatch.core.digest.Html.esc(value == null ? null : value.toString());
    }
}
