package io.jobwatch.core.run;

/** Small text helpers shared by the model. */
public final class Text {
    private Text() {
    }

    /**
     * Cuts {@code s} so that its UTF-8 encoding is at most {@code maxBytes}, never inside a character
     * (a surrogate pair is kept whole or dropped whole).
     */
    public static String truncateUtf8(String s, int maxBytes) {
        if (s == null || s.length() * 3 <= maxBytes) {
            return s;
        }
        int bytes = 0;
        int i = 0;
        int n = s.length();
        while (i < n) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > maxBytes) {
                return s.substring(0, i);
            }
            bytes += len;
            i += Character.charCount(cp);
        }
        return s;
    }
}
