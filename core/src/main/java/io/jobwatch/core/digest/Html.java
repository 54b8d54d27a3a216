package io.jobwatch.core.digest;

import java.util.Locale;

/**
 * The one escaping function every HTML value goes through — the digest's and the dashboard's — text and attributes
 * alike.
 */
public final class Html {
    private Html() {
    }

    /**
     * Escapes {@code & < > " '} so the value is inert in element text and in quoted attribute values.
     * Null becomes "". Other characters (emoji, RTL text) pass through: the page is UTF-8.
     */
    public static String esc(String s) {
        if (s == null) {
            return "";
        }
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

    /**
     * A URL fit for an href: only absolute http(s) URLs without whitespace or control characters, escaped;
     * null for anything else (javascript:, data:, relative …), so the caller renders no link.
     */
    static String href(String url) {
        if (url == null) {
            return null;
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("https://") || lower.startsWith("http://"))) {
            return null;
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f || Character.isWhitespace(c)) {
                return null;
            }
        }
        return esc(url);
    }
}
