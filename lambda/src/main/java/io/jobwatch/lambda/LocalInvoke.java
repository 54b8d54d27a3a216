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
 *   java -cp lambda/target/jobwatch-lambda.jar io.jobwatch.lambda.LocalInvoke ingest batch.json</pre>
 */
public final class LocalInvoke {
    private LocalInvoke() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: LocalInvoke ingest|outbox|digest|sla|export|reconcile [EVENT_FILE|-]   (environment as in Lambda)");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        RequestStreamHandler handler = switch (args[0]) {
            case "ingest" -> new IngestHandler();
            case "outbox" -> new OutboxHandler();
            case "digest" -> new DigestHandler();
            case "sla" -> new SlaHandler();
            case "export" -> new ExportHandler();
            case "reconcile" -> new ReconcileHandler();
            default -> {
                System.err.println("unknown handler '" + args[0] + "': use ingest, outbox, digest, sla, export or reconcile");
                System.exit(2);
                yield null;
            }
        };
        long t1 = System.nanoTime();
        byte[] event;
        if (args.length == 1) {
            event = ("{\"task\":\"" + args[0] + "\"}").getBytes(StandardCharsets.UTF_8);
        } else if (args[1].equals("-")) {
            try (InputStream in = System.in) {
                event = in.readAllBytes();
            }
        } else {
            event = Files.readAllBytes(Path.of(args[1]));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event), out, new LocalContext(args[0], 60_000));
        long t2 = System.nanoTime();
        System.out.println(out.toString(StandardCharsets.UTF_8));
        System.out.printf("handled in %d ms (init %d ms, first request %d ms)%n", (t2 - t0) / 1_000_000,
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    }
}
