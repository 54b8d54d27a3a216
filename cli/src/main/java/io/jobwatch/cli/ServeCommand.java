package io.jobwatch.cli;

import io.jobwatch.local.LocalApp;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code jobwatch serve}: HTTP ingest, JSON API, dashboard and scheduler on the embedded store, until stopped. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run Jobwatch as one local process on the embedded SQLite store:",
            "  POST /events (an EventBridge API destination; key in x-api-key or Authorization: Bearer),",
            "  pings at /ping/<ping-key>/<slug>[/start|/fail|/log|/<exit-status>] (Healthchecks' URLs; each team's key is"
                + " the variable its catalog entry names, teams.<team>.pingKey: \"${NAME}\"),",
            "  OpenLineage run events at POST /api/v1/lineage (API key, as the OpenLineage client's api_key auth sends it),",
            "  the dashboard at /, the JSON API under /api/, /healthz and /metrics (Prometheus);",
            "  every minute it sends the outbox (ServiceNow when SERVICENOW_URL is set, else a dry-run file next to the"
                + " database) and runs what is due; the catalog file is reloaded when it changes.",
            "The API key comes from JOBWATCH_API_KEY, else it is generated on first start, printed once and kept in"
                + " jobwatch.api-key (0600) next to the database.",
            "Beyond this machine (--bind other than loopback) reading needs a key too: the JSON API takes the read key"
                + " (JOBWATCH_READ_KEY, else generated once into jobwatch.read-key) or the API key, the dashboard asks for"
                + " one on a login page.",
            "Stops gracefully on Ctrl-C / SIGTERM."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    Jobwatch root;

    @Option(names = "--db", paramLabel = "PATH", defaultValue = "jobwatch.db",
            description = "SQLite file (created when missing). Default: ${DEFAULT-VALUE}.")
    Path db;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Catalog, reloaded when it changes (default: ./jobwatch.yml if present, else none: every failure is incident-worthy).")
    Path config;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only).")
    String bind;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "Where people and scripts reach this server, e.g. https://jobwatch.example.com behind a TLS proxy:"
                    + " the dashboard's ping lines use it, and https makes the login cookie Secure. Default: the request's Host.")
    String publicUrl;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
            description = "How long runs are kept after their last update. Default: ${DEFAULT-VALUE}.")
    Duration retention;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = root.spec.commandLine().getOut();
        PrintWriter err = root.spec.commandLine().getErr();
        Path file = config;
        if (file == null && Files.isRegularFile(Path.of(CatalogFiles.DEFAULT_FILE))) {
            file = Path.of(CatalogFiles.DEFAULT_FILE);
        }
        if (file != null && !Files.isRegularFile(file)) {
            err.println(file + ": cannot read: no such file");
            return 2;
        }
        LocalApp.Options options = LocalApp.defaults(db).catalogFile(file).bind(bind, port).retention(retention)
                .env(root.env).publicUrl(publicUrl).log(line -> log(err, line));
        return serve(out, err, options, file == null ? "none (every failure is incident-worthy)" : file + " (reloaded on change)");
    }

    /** Starts the server, prints where it is and blocks until the process is asked to stop. Shared with the demo. */
    static int serve(PrintWriter out, PrintWriter err, LocalApp.Options options, String catalogLabel) throws Exception {
        LocalApp app;
        try {
            app = LocalApp.start(options);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        } catch (java.net.BindException e) {
            err.println("cannot listen: " + e.getMessage() + " (another process on that port? try --port 0)");
            err.flush();
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println("stopping: finishing requests in flight, closing the store");
            out.flush();
            app.close();
            out.println("stopped");
            out.flush();
            stopped.countDown();
        }, "jobwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("Jobwatch is serving " + app.uri() + "  (dashboard: " + app.uri() + ", ingest: POST " + app.uri() + "events)");
        out.println("  store:     " + app.db().toAbsolutePath());
        out.println("  catalog:   " + catalogLabel);
        out.println("  incidents: " + app.incidentTarget());
        out.println("  digests:   " + app.digestTarget());
        if (app.apiKey().generated()) {
            out.println("  API key (shown once; kept in " + app.apiKey().file() + ", mode 0600): " + app.apiKey().reveal());
        } else if (app.apiKey().file() != null) {
            out.println("  API key:   in " + app.apiKey().file());
        } else {
            out.println("  API key:   from JOBWATCH_API_KEY");
        }
        out.println("  pings:     " + (app.pings().teams().isEmpty() ? "no team has a usable ping key"
                : "/ping/<key>/<slug> for team(s) " + String.join(", ", app.pings().teams())));
        for (String problem : app.pings().problems()) {
            out.println("             " + problem);
        }
        out.println("  lineage:   POST " + app.uri() + "api/v1/lineage (the API key)");
        if (!app.loopbackOnly()) {
            if (app.readKey().generated()) {
                out.println("  read key (shown once; kept in " + app.readKey().file() + ", mode 0600): "
                        + app.readKey().reveal());
            } else {
                out.println("  read key:  " + (app.readKey().file() != null ? "in " + app.readKey().file()
                        : "from " + io.jobwatch.local.ApiKey.READ_ENV));
            }
            out.println("  note: listening beyond this machine: the dashboard asks for the read key (or the API key) on a"
                    + " login page, the JSON API takes it as x-api-key or Bearer; ping URLs carry their own key");
        }
        out.println("Ctrl-C stops it.");
        out.flush();
        stopped.await();
        return 0;
    }

    static void log(PrintWriter err, String line) {
        err.println(Instant.now(Clock.systemUTC()) + " " + line);
        err.flush();
    }
}
