package io.jobwatch.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.incident.DrainReport;
import io.jobwatch.core.incident.IncidentChannels;
import io.jobwatch.core.incident.OutboxProcessor;
import io.jobwatch.core.incident.RetryBackoff;
import io.jobwatch.core.time.Sleeper;
import io.jobwatch.servicenow.DryRunIncidentGateway;
import io.jobwatch.servicenow.IncidentDefaults;
import io.jobwatch.store.sqlite.SqliteIncidents;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** The demo's incidents: the outbox drained through the dry-run gateway, and the incidents it would open. */
final class DemoIncidents {
    /** Incidents listed on the terminal; the file has all of them. */
    private static final int SHOWN = 12;

    private DemoIncidents() {
    }

    static void send(PrintWriter out, SqliteIncidents incidents, IncidentChannels channels, Path dryRun,
                     Path channelsDryRun, Clock clock) throws IOException, InterruptedException {
        OutboxProcessor processor = new OutboxProcessor(new DryRunIncidentGateway(dryRun, IncidentDefaults.defaults(), clock),
                channels, incidents, incidents, clock, RetryBackoff.defaults());
        DrainReport r = processor.drain(Duration.ofSeconds(30), Sleeper.threadSleep());
        ObjectMapper mapper = new ObjectMapper();
        List<String> lines = Files.exists(dryRun) ? Files.readAllLines(dryRun) : List.of();
        int posts = 0;
        int patches = 0;
        StringBuilder opened = new StringBuilder();
        for (String line : lines) {
            JsonNode n = mapper.readTree(line);
            String method = n.path("method").asText();
            if (method.equals("POST")) {
                posts++;
                if (posts <= SHOWN) {
                    opened.append(String.format("  %-11s %s%n", n.path("number").asText(),
                            n.path("body").path("short_description").asText()));
                }
            } else if (method.equals("PATCH")) {
                patches++;
            }
        }
        out.printf("%nIncidents (ServiceNow dry run, every request in %s): %d opened, %d updates/resolves, %d still pending%n",
                dryRun, posts, patches, r.pending());
        out.print(opened);
        if (posts > SHOWN) {
            out.printf("  … and %d more (all in %s)%n", posts - SHOWN, dryRun);
        }
        channels(out, mapper, channelsDryRun, r.parked());
    }

    /** Per team channel: how many messages it would get, and of which kinds. */
    private static void channels(PrintWriter out, ObjectMapper mapper, Path file, int parked) throws IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        java.util.Map<String, java.util.Map<String, Integer>> perChannel = new java.util.TreeMap<>();
        for (String line : lines) {
            JsonNode n = mapper.readTree(line);
            perChannel.computeIfAbsent(n.path("team").asText() + "/" + n.path("channel").asText(),
                    k -> new java.util.TreeMap<>()).merge(n.path("notice").asText(), 1, Integer::sum);
        }
        out.printf("%nChannels (dry run, every request in %s): %d messages%s%n", file, lines.size(),
                parked == 0 ? "" : ", " + parked + " parked (`jobwatch incidents list` says why)");
        perChannel.forEach((channel, kinds) -> out.printf("  %-22s %s%n", channel, kinds.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(java.util.stream.Collectors.joining(", "))));
    }
}
