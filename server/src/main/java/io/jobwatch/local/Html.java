package io.jobwatch.local;

/** The one escaping function every value on the dashboard goes through, in element text and quoted attributes alike. */
public final class Html {
    private Html() {
    }

    /**
     * Escapes {@code & < > " '} so the value is inert in element text and in quoted attribute values. Null becomes "".
     * Other characters pass through: pages are UTF-8.
     */
    public static String esc(Object value) {
        if (value == null) {
            return "";
        }
        String s = value.toString();
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (rep != null) {
                    out.append(rep);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
