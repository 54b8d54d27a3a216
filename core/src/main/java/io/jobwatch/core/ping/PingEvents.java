package io.jobwatch.core.ping;

import io.jobwatch.core.run.JobKey;
import io.jobwatch.core.run.JobSource;
import io.jobwatch.core.run.RunEvent;
import io.jobwatch.core.run.RunState;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A ping as a run event of the job {@code <team>/<slug>} (job key: account = the team, no region, source
 * {@code ping}, job name = the slug). Times are the receiver's clock, to the second — a run named by its start is
 * {@code <slug>@<start>}, and whole seconds keep those names in time order, which the store's pairing of an end with the
 * open run relies on.
 * <ul>
 * <li>{@code /start}: a RUNNING run, named {@code <slug>@rid-<rid>} with a rid, else {@code <slug>@<time>};</li>
 * <li>success ({@code /<slug>} or {@code /0}): SUCCEEDED; {@code /fail}: FAILED; {@code /<N>} (1–255): FAILED with the
 * error {@code exit status N}. With a rid it ends the run of that rid; without, the store joins it to the job's open run,
 * else it is a run that started and ended at that ping (its start is the ping's time in any case: the store keeps the
 * earliest start);</li>
 * <li>{@code /log}: no event (a message for the job's latest run).</li>
 * </ul>
 * The body, at most {@link #BODY_LIMIT} bytes of it as Healthchecks keeps, is the run's log; for a failure it is also
 * the run's error (after {@code exit status N}), which the run model bounds to {@link RunEvent#MAX_ERROR_BYTES}.
 */
public final class PingEvents {
    /** Healthchecks' {@code PING_BODY_LIMIT}: the bytes of a body kept; the rest is dropped without an error. */
    public static final int BODY_LIMIT = 10_000;

    private PingEvents() {
    }

    /** The run id a rid names: {@code <slug>@rid-<uuid>} (after every start-named id of the job, see the class comment). */
    public static String ridRunId(String slug, String rid) {
        return slug + "@rid-" + rid;
    }

    /** The job a team's ping of {@code slug} is about. */
    public static JobKey job(String team, String slug) {
        return new JobKey(team, "", JobSource.PING, slug);
    }

    /**
     * The run event of a ping; null for {@link PingSignal.Log}, which changes no run.
     *
     * @param eventId a new id per request (pings carry none; a retried request is a second ping)
     * @param body    the body's text ({@link #text}), or null/empty when none was sent
     */
    public static RunEvent event(String team, PingRoute.Ping ping, Instant now, String eventId, String body) {
        if (ping.signal() instanceof PingSignal.Log) {
            return null;
        }
        Instant t = now.truncatedTo(ChronoUnit.SECONDS);
        JobKey job = job(team, ping.slug());
        String rid = ping.rid() == null ? null : ridRunId(ping.slug(), ping.rid());
        String text = body == null || body.isBlank() ? null : body;
        PingSignal signal = ping.signal();
        if (signal instanceof PingSignal.Start) {
            return new RunEvent(eventId, job, rid != null ? rid : ping.slug() + "@" + t, RunState.RUNNING,
                    signal.sourceState(), t, t, null, null);
        }
        boolean ok = signal instanceof PingSignal.Success
                || signal instanceof PingSignal.ExitStatus x && x.status() == 0;
        String error = null;
        if (signal instanceof PingSignal.ExitStatus x && x.status() != 0) {
            error = "exit status " + x.status() + (text != null ? "\n" + text : "");
        } else if (!ok) {
            error = text != null ? text : "the job reported a failure (/fail ping)";
        }
        return new RunEvent(eventId, job, rid, ok ? RunState.SUCCEEDED : RunState.FAILED, signal.sourceState(), t, t,
                t, error);
    }

    /**
     * A body as text: its first {@link #BODY_LIMIT} bytes (cut before a character split by the limit), read as UTF-8
     * with anything that is not UTF-8 replaced (Healthchecks keeps such bodies too), NUL characters replaced.
     */
    public static String text(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        int n = Math.min(body.length, BODY_LIMIT);
        if (n < body.length) {
            // Step back over continuation bytes so the cut does not split a character.
            int i = n;
            while (i > 0 && i > n - 4 && (body[i] & 0xC0) == 0x80) {
                i--;
            }
            n = i;
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(body, 0, n));
            return chars.toString().replace('\u0000', '\uFFFD');
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not throw", e);
        }
    }
}
