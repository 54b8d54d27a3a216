package io.jobwatch.core.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits raw input into events. One input may hold a single event, a JSON array of events, or JSON lines (one event
 * per line). A syntax error costs only what it must: in JSON lines, that line; in an array, the rest of the array
 * after the last complete element.
 *
 * <p>Limits ({@link Limits}): an event larger than {@link #MAX_EVENT_BYTES} (EventBridge's own limit, 256 KB) is an
 * error item, not an event; an input with more events than {@code maxEvents} ends with one error item after the first
 * {@code maxEvents} (the rest is not read).
 */
public final class EventInput {
    /** EventBridge's maximum event size (PutEvents entry, 256 KB): nothing larger can be a real event. */
    public static final int MAX_EVENT_BYTES = 256 * 1024;

    /**
     * @param maxEventBytes largest accepted event, in bytes of its JSON as given
     * @param maxEvents     most events read from one input; more ends the input with an error item
     */
    public record Limits(int maxEventBytes, int maxEvents) {
        /** 256 KB per event, any number of events (files). */
        public static final Limits DEFAULT = new Limits(MAX_EVENT_BYTES, Integer.MAX_VALUE);

        public Limits {
            if (maxEventBytes <= 0 || maxEvents <= 0) {
                throw new IllegalArgumentException("limits must be positive: " + maxEventBytes + ", " + maxEvents);
            }
        }

        public Limits withMaxEvents(int n) {
            return new Limits(maxEventBytes, n);
        }
    }

    /** The error of an event over the size limit, in the normalizer's {@code field: expected …, found …} form. */
    public static String tooLarge(long bytes, int max) {
        return "(event): expected at most " + max + " bytes (" + (max / 1024) + " KB, EventBridge's event size limit), found "
                + bytes + " bytes";
    }

    /**
     * One event read from an input, or the reason it could not be read.
     *
     * @param index 0-based position of the event in the input
     * @param line  1-based line where the event starts (always set for JSON lines; for documents where known)
     * @param event the parsed JSON, or null when {@code error} is set
     * @param error why the input could not be parsed here, or null
     */
    public record Item(int index, int line, JsonNode event, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private final ObjectMapper mapper;
    private final Limits limits;

    public EventInput(ObjectMapper mapper) {
        this(mapper, Limits.DEFAULT);
    }

    public EventInput(ObjectMapper mapper, Limits limits) {
        this.mapper = mapper;
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    public Limits limits() {
        return limits;
    }

    /** True when {@code items} (from {@link #readAll}) stopped at the event count limit. */
    public boolean tooMany(List<Item> items) {
        return items.size() > limits.maxEvents();
    }

    private Item tooManyItem(int index, int line) {
        return new Item(index, line, null, "(input): expected at most " + limits.maxEvents()
                + " events in one input, found more; split it into smaller batches");
    }

    /** The event, or its size error when its JSON spans more than the limit. */
    private Item sized(int index, int line, JsonNode node, long bytes) {
        return bytes > limits.maxEventBytes() ? new Item(index, line, null, tooLarge(bytes, limits.maxEventBytes()))
                : new Item(index, line, node, null);
    }

    public List<Item> readAll(byte[] data) {
        List<Item> items = new ArrayList<>();
        read(data, items::add);
        return items;
    }

    public void read(byte[] data, Consumer<Item> out) {
        int start = skipBomAndSpace(data, 0);
        if (start >= data.length) {
            return;
        }
        if (data[start] == '[') {
            readArray(data, out);
            return;
        }
        int lineEnd = indexOf(data, (byte) '\n', start);
        if (lineEnd > 0 && skipBomAndSpace(data, lineEnd) < data.length && parsesAlone(data, start, lineEnd)) {
            readLines(data, out);
        } else {
            readDocuments(data, out);
        }
    }

    private void readArray(byte[] data, Consumer<Item> out) {
        int index = 0;
        try (JsonParser p = mapper.createParser(data)) {
            p.nextToken(); // START_ARRAY
            while (true) {
                JsonToken t = p.nextToken();
                if (t == JsonToken.END_ARRAY) {
                    break;
                }
                if (t == null) {
                    out.accept(new Item(index, p.currentLocation().getLineNr(), null, "invalid JSON: the array is not closed (input truncated?)"));
                    return;
                }
                int line = p.currentTokenLocation().getLineNr();
                if (index == limits.maxEvents()) {
                    out.accept(tooManyItem(index, line));
                    return;
                }
                long from = p.currentTokenLocation().getByteOffset();
                JsonNode node = mapper.readTree(p);
                out.accept(sized(index++, line, node, p.currentLocation().getByteOffset() - from));
            }
            if (p.nextToken() != null) {
                out.accept(new Item(index, p.currentTokenLocation().getLineNr(), null, "invalid JSON: unexpected content after the closing ']'"));
            }
        } catch (JsonProcessingException e) {
            out.accept(new Item(index, lineOf(e), null, describe(e)));
        } catch (IOException e) {
            out.accept(new Item(index, 0, null, "unreadable input: " + e.getMessage()));
        }
    }

    /** A single event, or several concatenated (pretty-printed) events. */
    private void readDocuments(byte[] data, Consumer<Item> out) {
        int index = 0;
        try (JsonParser p = mapper.createParser(data)) {
            while (p.nextToken() != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (index == limits.maxEvents()) {
                    out.accept(tooManyItem(index, line));
                    return;
                }
                long from = p.currentTokenLocation().getByteOffset();
                JsonNode node = mapper.readTree(p);
                out.accept(sized(index++, line, node, p.currentLocation().getByteOffset() - from));
            }
        } catch (JsonProcessingException e) {
            out.accept(new Item(index, lineOf(e), null, describe(e)));
        } catch (IOException e) {
            out.accept(new Item(index, 0, null, "unreadable input: " + e.getMessage()));
        }
    }

    private void readLines(byte[] data, Consumer<Item> out) {
        int index = 0;
        int line = 1;
        int pos = 0;
        while (pos < data.length) {
            int end = indexOf(data, (byte) '\n', pos);
            if (end < 0) {
                end = data.length;
            }
            if (skipBomAndSpace(data, pos) < end) {
                if (index == limits.maxEvents()) {
                    out.accept(tooManyItem(index, line));
                    return;
                }
                out.accept(parseLine(data, pos, end, index++, line));
            }
            pos = end + 1;
            line++;
        }
    }

    private Item parseLine(byte[] data, int from, int to, int index, int line) {
        try (JsonParser p = mapper.createParser(data, from, to - from)) {
            JsonNode node = mapper.readTree(p);
            if (p.nextToken() != null) {
                return new Item(index, line, null, "invalid JSON: more than one value on the line");
            }
            return sized(index, line, node, to - from);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : " at column " + loc.getColumnNr();
            return new Item(index, line, null, "invalid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            return new Item(index, line, null, "unreadable input: " + e.getMessage());
        }
    }

    private boolean parsesAlone(byte[] data, int from, int to) {
        try (JsonParser p = mapper.createParser(data, from, to - from)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr();
        return "invalid JSON" + where + ": " + e.getOriginalMessage();
    }

    private static int lineOf(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static int skipBomAndSpace(byte[] d, int i) {
        if (i == 0 && d.length >= 3 && (d[0] & 0xff) == 0xEF && (d[1] & 0xff) == 0xBB && (d[2] & 0xff) == 0xBF) {
            i = 3;
        }
        while (i < d.length && (d[i] == ' ' || d[i] == '\n' || d[i] == '\r' || d[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] d, byte b, int from) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** For messages: the input as UTF-8 text (tests). */
    static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
