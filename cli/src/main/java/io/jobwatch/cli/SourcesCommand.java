package io.jobwatch.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jobwatch.core.run.RunState;
import io.jobwatch.core.source.EventBridgeSource;
import io.jobwatch.core.source.HttpSource;
import io.jobwatch.core.source.SourceDescriptor;
import io.jobwatch.core.source.Sources;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch sources}: the job sources Jobwatch follows, from the source registry. */
@Command(name = "sources", mixinStandardHelpOptions = true,
        description = {"List the job sources Jobwatch follows: the EventBridge events it reads (or the HTTP endpoint that"
                + " receives them), what the job and the run are, how the service's state names map onto the run model,"
                + " and what the reconciler may call.",
            "--format json prints one object per source per line: id, label, transport (eventbridge or http),"
                + " eventSource, detailTypes, endpoint, jobName, runId, states (run state → the service's names),"
                + " reconcileActions, reconcileListsAllJobs; an HTTP source has eventSource null, no detailTypes and no"
                + " reconcileActions, an EventBridge source endpoint null."})
final class SourcesCommand implements Callable<Integer> {
    enum Format { text, json }

    /** The source ids, for options that take one ({@code ${COMPLETION-CANDIDATES}} in their help). */
    static final class Ids implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Sources.ids().iterator();
        }
    }

    /** The ids of the sources the reconciler can ask (the EventBridge ones), for {@code reconcile --source}. */
    static final class EventBridgeIds implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Sources.eventBridge().stream().map(d -> d.source().id()).iterator();
        }
    }

    /** Column width of source ids in the CLI's tables: the longest registered id. */
    static final int ID_WIDTH = Sources.ids().stream().mapToInt(String::length).max().orElse(10);

    @ParentCommand
    Jobwatch root;

    @Option(names = "--format", defaultValue = "text", description = "text or json. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = root.spec.commandLine().getOut();
        if (format == Format.json) {
            ObjectMapper mapper = new ObjectMapper();
            for (SourceDescriptor d : Sources.all()) {
                JsonGenerator g = mapper.getFactory().createGenerator(out)
                        .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeStringField("id", d.source().id());
                g.writeStringField("label", d.source().label());
                EventBridgeSource events = d instanceof EventBridgeSource e ? e : null;
                g.writeStringField("transport", events != null ? "eventbridge" : "http");
                g.writeStringField("eventSource", events != null ? events.eventSource() : null);
                strings(g, "detailTypes", events != null ? events.detailTypes() : List.of());
                g.writeStringField("endpoint", d instanceof HttpSource h ? h.endpoint() : null);
                g.writeStringField("jobName", d.help().jobName());
                g.writeStringField("runId", d.help().runId());
                g.writeObjectFieldStart("states");
                for (Map.Entry<RunState, List<String>> e : d.states().byState().entrySet()) {
                    strings(g, e.getKey().name(), e.getValue());
                }
                g.writeEndObject();
                strings(g, "reconcileActions", events != null ? events.reconcileActions() : List.of());
                g.writeBooleanField("reconcileListsAllJobs", events != null && events.reconcileListsAllJobs());
                g.writeEndObject();
                g.close();
                out.println();
            }
            out.flush();
            return 0;
        }
        for (SourceDescriptor d : Sources.all()) {
            out.println(d.source().id() + " — " + d.source().label());
            if (d instanceof HttpSource h) {
                out.println("  endpoint:  " + h.endpoint());
                out.println("  key:       " + h.authentication());
            } else {
                EventBridgeSource e = (EventBridgeSource) d;
                out.println("  events:    " + e.eventSource() + " / " + String.join(", ", e.detailTypes()));
            }
            out.println("  job name:  " + d.help().jobName());
            out.println("  run id:    " + d.help().runId());
            for (Map.Entry<RunState, List<String>> e : d.states().byState().entrySet()) {
                out.printf("  %-10s %s%n", e.getKey() + ":", String.join(", ", e.getValue()));
            }
            if (d instanceof EventBridgeSource e) {
                out.println("  reconcile: " + String.join(", ", e.reconcileActions())
                        + (e.reconcileListsAllJobs() ? "" : " (asks about named jobs only)"));
            } else {
                out.println("  reconcile: none (sent to Jobwatch over HTTP; a missing run is an SLA breach)");
            }
        }
        out.flush();
        return 0;
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws java.io.IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
