package io.jobwatch.lambda;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Invokes one handler the way Lambda does — no-arg constructor (init from the environment), then
 * {@code handleRequest} — with an event from a file or stdin; prints the response. For local runs against dynalite
 * and for the cold-start benchmark, which times a fresh JVM up to the line {@code handled in … ms}.
 *
 * <pre>JOBWATCH_TABLE=jobwatch AWS_REGION=us-east-1 AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 \
 *   java -cp lambda/target/jobwatch-lambda-ingest.jar io.jobwatch.lambda.LocalInvoke [--prime] ingest batch.json</pre>
 * With {@code --prime} the ingest handler's SnapStart priming runs after init, as Lambda runs it before the snapshot
 * (printed apart: {@code primed in … ms}); "first request" is then what the first event of a restored snapshot costs
 * in the JVM.
 */
public final class LocalInvoke {
    private LocalInvoke() {
    }

    public static void main(String[] args) throws Exception {
        java.util.List<String> rest = new java.util.ArrayList<>(java.util.List.of(args));
        // --prime: run the SnapStart priming after init (as Lambda does before its snapshot), timed apart.
        boolean prime = rest.remove("--prime");
        if (rest.size() < 1 || rest.size() > 2) {
            System.err.println("usage: LocalInvoke [--prime] ingest|periodic|outbox|digest|sla|export|reconcile"
                    + " [EVENT_FILE|-]   (environment as in Lambda)");
            System.exit(2);
        }
        String task = rest.get(0);
        long t0 = System.nanoTime();
        RequestStreamHandler handler = switch (task) {
            case "ingest" -> new IngestHandler();
            case "periodic" -> new PeriodicHandler();
            case "outbox" -> new OutboxHandler();
            case "digest" -> new DigestHandler();
            case "sla" -> new SlaHandler();
            case "export" -> new ExportHandler();
            case "reconcile" -> new ReconcileHandler();
            default -> {
                System.err.println("unknown handler '" + task + "': use ingest, periodic, outbox, digest, sla, export"
                        + " or reconcile");
                System.exit(2);
                yield null;
            }
        };
        long t1 = System.nanoTime();
        long ready = t1; // when the first request may start: after init, and after the priming when asked for
        if (prime) {
            if (!(handler instanceof IngestHandler ingest) || ingest.primeNow().isEmpty()) {
                System.err.println("--prime: only the ingest handler is primed (SnapStart)");
                System.exit(2);
            }
            ready = System.nanoTime();
            System.out.printf("primed in %d ms%n", (ready - t1) / 1_000_000);
        }
        byte[] event;
        if (rest.size() == 1) {
            event = ("{\"task\":\"" + task + "\"}").getBytes(StandardCharsets.UTF_8);
        } else if (rest.get(1).equals("-")) {
            try (InputStream in = System.in) {
                event = in.readAllBytes();
            }
        } else {
            event = Files.readAllBytes(Path.of(rest.get(1)));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, new LocalContext(task, 60_000));
        long t2 = System.nanoTime();
        System.out.println(out.toString(StandardCharsets.UTF_8));
        System.out.printf("handled in %d ms (init %d ms, first request %d ms)%n", (t2 - t0) / 1_000_000,
                (t1 - t0) / 1_000_000, (t2 - ready) / 1_000_000);
    }
}
