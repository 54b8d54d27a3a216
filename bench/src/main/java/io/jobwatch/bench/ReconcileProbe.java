package io.jobwatch.bench;

import io.jobwatch.core.catalog.Catalog;
import io.jobwatch.core.catalog.CatalogLoader;
import io.jobwatch.core.catalog.CatalogResult;
import io.jobwatch.core.reconcile.ReconcilePlan;
import io.jobwatch.lambda.Env;
import io.jobwatch.lambda.LocalContext;
import io.jobwatch.lambda.ReconcileHandler;
import io.jobwatch.reconcile.aws.AwsRunSources;
import io.jobwatch.reconcile.aws.ListingBounds;
import io.jobwatch.reconcile.aws.MemberClients;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The reconcile function's work in a fresh JVM, as Lambda runs it: init (catalog, clients), then one pass with every
 * scope due (the hourly all-jobs pass, the largest), against dynalite holding a simulated day and {@link MockAws}
 * playing STS and the services. Prints one line {@code probe: …} with init and pass wall time, the process's CPU time,
 * its peak RSS and heap used, for {@link ReconcileBench}.
 *
 * <pre>java [flags] -cp jobwatch-bench.jar io.jobwatch.bench.ReconcileProbe DYNALITE_URL AWS_URL TABLE CATALOG NOW</pre>
 */
public final class ReconcileProbe {
    private ReconcileProbe() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        URI dynalite = URI.create(args[0]);
        URI aws = URI.create(args[1]);
        String table = args[2];
        Path catalogFile = Path.of(args[3]);
        Clock clock = Clock.fixed(Instant.parse(args[4]), ZoneOffset.UTC);
        Measure.resetPeakRss();
        CatalogResult loaded = CatalogLoader.load(catalogFile.toString(), Files.readString(catalogFile));
        if (!(loaded instanceof CatalogResult.Loaded l)) {
            throw new IllegalStateException("catalog: " + ((CatalogResult.Invalid) loaded).errors());
        }
        Catalog catalog = l.catalog();
        DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(dynalite).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.builder().build()).build();
        Map<String, URI> endpoints = new HashMap<>();
        MemberClients.SERVICES.forEach(s -> endpoints.put(s, aws));
        MemberClients clients = new MemberClients(new MemberClients.Settings(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDCENTRAL", "central-secret")), true,
                MemberClients.DEFAULT_ROLE_NAME, "bench-external-id", "aws", endpoints, null));
        Env env = Env.from(Map.of(Env.TABLE, table, Env.REGION, "eu-west-1"));
        ReconcileHandler.Settings settings = ReconcileHandler.Settings.from(Map.of(
                ReconcileHandler.REGIONS, "eu-west-1,us-east-1", ReconcileHandler.EXTERNAL_ID, "bench-external-id",
                ReconcileHandler.MEMBER_ACCOUNTS, "123456789012,234567890123,345678901234",
                ReconcileHandler.CONCURRENCY, System.getProperty("jobwatch.reconcile.concurrency", "8")));
        ReconcileHandler handler = new ReconcileHandler(env, settings, catalog, dynamo,
                AwsRunSources.all(clients, ListingBounds.defaults()), ReconcilePlan.defaults(), clock,
                new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        long t1 = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream("{\"task\":\"reconcile\"}".getBytes(StandardCharsets.UTF_8)),
                out, new LocalContext("reconcile", 300_000));
        long t2 = System.nanoTime();
        System.gc();
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long cpuMs = ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toMillis).orElse(-1L);
        System.out.println("response: " + out.toString(StandardCharsets.UTF_8));
        System.out.printf("probe: init=%d pass=%d cpu=%d rss=%d heapAfterGc=%d heapMax=%d%n", (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000, cpuMs, Measure.peakRss(), heap.getUsed(), heap.getMax());
        clients.close();
        dynamo.close();
    }

    /** The accounts the probe asks (the simulated estate's). */
    static final List<String> ACCOUNTS = List.of("123456789012", "234567890123", "345678901234");
}
