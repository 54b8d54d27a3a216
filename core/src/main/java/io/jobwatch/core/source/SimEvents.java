package io.jobwatch.core.source;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jobwatch.core.run.JobKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Collects the EventBridge events a source writes for one simulated run, with the envelope every event shares
 * (version, a random id, detail-type, source, account, time to the second, region, resources).
 */
public final class SimEvents {
    private final List<ObjectNode> events = new ArrayList<>();
    private final SplittableRandom rnd;

    public SimEvents(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    /** A new event of {@code job}'s account and region, added to the run's events; the caller fills detail. */
    public ObjectNode add(JobKey job, String source, String detailType, Instant time) {
        ObjectNode e = JsonNodeFactory.instance.objectNode();
        e.put("version", "0");
        e.put("id", uuid());
        e.put("detail-type", detailType);
        e.put("source", source);
        e.put("account", job.account());
        e.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("region", job.region());
        e.putArray("resources");
        events.add(e);
        return e;
    }

    public List<ObjectNode> events() {
        return events;
    }

    public String uuid() {
        return new UUID(rnd.nextLong(), rnd.nextLong()).toString();
    }

    public String hex(int len) {
        return hex(rnd, len);
    }

    public String base36(int len) {
        return base36(rnd, len);
    }

    public static String hex(SplittableRandom rnd, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(Character.forDigit(rnd.nextInt(16), 16));
        }
        return sb.toString();
    }

    public static String base36(SplittableRandom rnd, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(Character.forDigit(rnd.nextInt(36), 36));
        }
        return sb.toString();
    }

    /** Upper-case letters and digits, as EMR and DMS write their ids. */
    public String upperAlnum(int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(Character.toUpperCase(Character.forDigit(rnd.nextInt(36), 36)));
        }
        return sb.toString();
    }
}
