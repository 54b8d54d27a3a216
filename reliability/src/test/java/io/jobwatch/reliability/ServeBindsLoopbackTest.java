package io.jobwatch.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobwatch serve} with no --bind, as a real process: it reports a loopback address, answers there, and a
 * connection to the same port through every non-loopback address of this machine is refused.
 */
class ServeBindsLoopbackTest {
    @TempDir
    Path dir;

    @Test
    void serve_withDefaults_listensOnLoopbackOnly() throws Exception {
        try (CliProcess serve = CliProcess.start(dir, Map.of("JOBWATCH_API_KEY", "bind-key-1f2e3d4c5b"),
                "serve", "--port", "0", "--db", dir.resolve("jobwatch.db").toString())) {
            String line = serve.awaitLine(l -> l.startsWith("Jobwatch is serving "), Duration.ofSeconds(60));
            Matcher m = Pattern.compile("Jobwatch is serving (http://([^:/]+):(\\d+)/)").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            URI uri = URI.create(m.group(1));
            int port = Integer.parseInt(m.group(3));
            assertThat(InetAddress.getByName(m.group(2)).isLoopbackAddress()).as(line).isTrue();
            assertThat(serve.out).noneMatch(l -> l.contains("listening beyond this machine"));
            assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            List<InetAddress> others = nonLoopbackAddresses();
            for (InetAddress a : others) {
                assertThatThrownBy(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(a, port), 2_000);
                    }
                }).as("connect via " + a.getHostAddress()).isInstanceOf(IOException.class);
            }
            ReliabilityLedger.record(new ReliabilityLedger.Row("security", "server binds 127.0.0.1 by default",
                    "`jobwatch serve --port 0` (no --bind) as a real process; /healthz via the reported address, then a "
                            + "TCP connect to the same port via each non-loopback address of the machine ("
                            + others.size() + ")", 1 + others.size(), 1, 0, -1,
                    "reported " + m.group(2) + ":" + port + " and answered there; every connect via "
                            + others.stream().map(InetAddress::getHostAddress).toList() + " refused"));
        }
    }

    static List<InetAddress> nonLoopbackAddresses() throws IOException {
        List<InetAddress> out = new ArrayList<>();
        for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!ni.isUp() || ni.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    out.add(a);
                }
            }
        }
        return out;
    }
}
