package io.jobwatch.core.source;

import io.jobwatch.core.run.JobSource;
import java.util.stream.IntStream;

/**
 * Healthchecks-style pings: a script or crontab line calls {@code /ping/<ping-key>/<slug>} when it ends (success),
 * {@code …/start} when it starts, {@code …/fail} or {@code …/<exit-status>} when it fails; {@code ?rid=<uuid>} keeps
 * concurrent runs of one job apart. The job is the slug, under the team whose ping key was used (the job key's
 * account part is the team, its region is empty). Without a rid a run is named by its start, like a crawl, and an end
 * ping joins the job's open run (a success without a start is a run that started and ended at that ping); with a rid
 * the run is {@code <slug>@rid-<uuid>}.
 */
final class Ping extends HttpSource {
    /** The state name of an exit-status ping: {@code exit 0} … {@code exit 255}. */
    static String exit(int status) {
        return "exit " + status;
    }

    private static final StateMap STATES = StateMap.builder()
            .running("start")
            .succeeded("success", exit(0))
            .failed(IntStream.rangeClosed(1, 255).mapToObj(Ping::exit).toArray(String[]::new))
            .failed("fail")
            .build();

    Ping() {
        super(JobSource.PING);
    }

    @Override
    public StateMap states() {
        return STATES;
    }

    @Override
    public boolean runIdFromStart() {
        return true;
    }

    @Override
    public Help help() {
        return new Help("the slug of /ping/<ping-key>/<slug> (lower-case letters, digits, '-', '_')",
                "?rid=<uuid> as <slug>@rid-<uuid>; without it <slug>@<start time>, an end joining the open run");
    }

    @Override
    public String endpoint() {
        return "GET|HEAD|POST /ping/<ping-key>/<slug>[/start|/fail|/log|/<exit-status 0-255>][?rid=<uuid>]";
    }

    @Override
    public String authentication() {
        return "the team's ping key in the path (teams.<team>.pingKey)";
    }

    @Override
    public String accountIs() {
        return "the team whose ping key was used";
    }

    @Override
    public boolean ownedByKeyTeam() {
        return true;
    }
}
