package io.jobwatch.core.export;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes runs as gzip-compressed CSV, one row at a time, straight to an object's stream (bounded memory: a row
 * buffer and the gzip window).
 *
 * <p>Format (stable, see docs/export.md): UTF-8 without BOM; a header row of {@link ExportColumns#NAMES};
 * records end with CRLF; RFC 4180 quoting: a field holding a comma or a double quote is enclosed in double quotes
 * and its quotes are doubled; a null is an empty unquoted field, an empty string is {@code ""}; times ISO-8601 UTC.
 *
 * <p>Two deliberate departures so Athena reads every row correctly (its CSV SerDes split the file into lines before
 * parsing, so a line break inside a quoted field would cut the row in two):
 * <ul>
 *   <li>a line break inside a value (CRLF, CR or LF) is written as the two characters {@code \n};
 *   <li>U+0001 — the escape character declared to Athena's OpenCSVSerde, see {@link AthenaDdl} — is written as
 *   U+FFFD, so no value can trigger an escape.
 * </ul>
 *
 * <p>The SHA-256 and size of the compressed bytes are computed while writing, for the manifest. The gzip header has
 * no timestamp, so the same rows always give the same bytes.
 */
public final class CsvRunWriter {
    /**
     * zlib level 1: measured on 10,600 rows, 2.6× less CPU than level 6 (19 vs 50 ms) for 18% more bytes (390 vs
     * 329 KB) — the export's time is mostly deflate at level 6, and a week's objects are small either way.
     */
    public static final int DEFAULT_GZIP_LEVEL = Deflater.BEST_SPEED;
    /** zlib level 6, gzip's own default (what the seed's export used). */
    public static final int GZIP_DEFAULT_LEVEL = 6;

    private static final int BUFFER = 64 * 1024;

    private final DigestingStream digesting;
    private final GZIPOutputStream gzip;
    private final StringBuilder line = new StringBuilder(512);
    private long rows;
    private boolean finished;

    /** Starts an object: writes the header row. {@code out} is not closed by this writer. */
    public CsvRunWriter(OutputStream out) throws IOException {
        this(out, DEFAULT_GZIP_LEVEL);
    }

    public CsvRunWriter(OutputStream out, int gzipLevel) throws IOException {
        this.digesting = new DigestingStream(out);
        this.gzip = new LeveledGzip(digesting, gzipLevel);
        for (int i = 0; i < ExportColumns.NAMES.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(ExportColumns.NAMES.get(i));
        }
        endLine();
    }

    public void write(ExportRow r) throws IOException {
        if (finished) {
            throw new IllegalStateException("write after finish");
        }
        field(r.runId());
        field(r.source().id());
        field(r.account());
        field(r.system());
        field(r.region());
        field(r.jobName());
        field(r.team());
        field(r.criticality());
        field(r.state().name());
        field(r.sourceState());
        field(r.startedAt());
        field(r.endedAt());
        field(r.durationSeconds() == null ? null : r.durationSeconds().toString());
        field(r.error());
        field(r.incidentNumber());
        field(Integer.toString(r.eventCount()));
        field(r.firstSeen());
        field(r.lastUpdated());
        field(Integer.toString(r.attempt()));
        field(r.warning());
        lastField(r.rawJobName());
        endLine();
        rows++;
    }

    /** Ends the gzip stream and flushes it into the object's stream (which stays open); returns what was written. */
    public Result finish() throws IOException {
        if (!finished) {
            gzip.finish();
            gzip.flush();
            finished = true;
        }
        return new Result(rows, digesting.count, HexFormat.of().formatHex(digesting.digest.digest()));
    }

    /**
     * What one object holds.
     *
     * @param rows   data rows (the header not counted)
     * @param bytes  size of the compressed object
     * @param sha256 SHA-256 of the compressed object, lower-case hex
     */
    public record Result(long rows, long bytes, String sha256) {
    }

    private void field(Instant t) {
        if (t != null) {
            appendInstant(line, t);
        }
        line.append(',');
    }

    private void field(String v) {
        lastField(v);
        line.append(',');
    }

    private void lastField(String v) {
        appendField(line, v);
    }

    /** One row to the gzip stream: String's UTF-8 encoding is a plain copy for the usual all-ASCII row. */
    private void endLine() throws IOException {
        line.append('\r').append('\n');
        gzip.write(line.toString().getBytes(StandardCharsets.UTF_8));
        line.setLength(0);
    }

    /**
     * Appends {@link Instant#toString()}'s text (ISO-8601 UTC: seconds always, then 3, 6 or 9 fraction digits as
     * needed) without going through DateTimeFormatter, which costs more than the rest of the row; years outside
     * 0000–9999 take the JDK's path.
     */
    static void appendInstant(StringBuilder out, Instant t) {
        long seconds = t.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400L);
        int secOfDay = (int) Math.floorMod(seconds, 86_400L);
        if (days < -719_528L || days > 2_932_896L) {
            out.append(t);
            return;
        }
        LocalDate date = LocalDate.ofEpochDay(days);
        pad(out, date.getYear(), 4).append('-');
        pad(out, date.getMonthValue(), 2).append('-');
        pad(out, date.getDayOfMonth(), 2).append('T');
        pad(out, secOfDay / 3600, 2).append(':');
        pad(out, secOfDay / 60 % 60, 2).append(':');
        pad(out, secOfDay % 60, 2);
        int nano = t.getNano();
        if (nano != 0) {
            out.append('.');
            if (nano % 1_000_000 == 0) {
                pad(out, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                pad(out, nano / 1_000, 6);
            } else {
                pad(out, nano, 9);
            }
        }
        out.append('Z');
    }

    private static StringBuilder pad(StringBuilder out, int v, int width) {
        for (int i = 1, limit = 10; i < width; i++, limit *= 10) {
            if (v < limit) {
                out.append('0');
            }
        }
        return out.append(v);
    }

    /** Appends one value in the export's CSV form (see the class comment). */
    static void appendField(StringBuilder out, String v) {
        if (v == null) {
            return;
        }
        if (v.isEmpty()) {
            out.append("\"\"");
            return;
        }
        boolean quote = false;
        boolean rewrite = false;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ',' || c == '"') {
                quote = true;
            } else if (c == '\r' || c == '\n' || c == AthenaDdl.ESCAPE_CHAR) {
                rewrite = true;
            }
        }
        if (!quote && !rewrite) {
            out.append(v);
            return;
        }
        if (quote) {
            out.append('"');
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '"') {
                out.append("\"\"");
            } else if (c == '\r') {
                out.append("\\n");
                if (i + 1 < v.length() && v.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == AthenaDdl.ESCAPE_CHAR) {
                out.append('\uFFFD');
            } else {
                out.append(c);
            }
        }
        if (quote) {
            out.append('"');
        }
    }

    /** GZIPOutputStream at a chosen level, with a large buffer (the JDK default of 512 bytes costs many small writes). */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, BUFFER);
            def.setLevel(level);
        }
    }

    /** Counts and hashes the bytes on their way to the object. */
    private static final class DigestingStream extends FilterOutputStream {
        final MessageDigest digest;
        long count;

        DigestingStream(OutputStream out) {
            super(out);
            try {
                this.digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required of every Java runtime", e);
            }
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // The object's stream belongs to the destination: it commits or discards it.
        }
    }
}
