package io.jobwatch.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP side of the local server on the JDK's {@code HttpServer}: a bounded pool of request threads (when it is
 * full, the accepting thread runs the request itself, which slows clients down instead of dropping them), strict
 * security headers on every response, and a graceful stop: new requests get 503, in-flight ones finish.
 */
public final class LocalServer {
    static {
        // Without TCP_NODELAY small responses wait for the client's delayed ACK (~40 ms per request on Linux). The JDK
        // server reads this property once, when its configuration class loads; a value set by the user wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean stopping;

    LocalServer(InetSocketAddress bind, int threads, EventsHandler events, ApiHandler api, PagesHandler pages,
                InboundHandler inbound, LoginHandler login, Metrics metrics, ObjectMapper mapper) throws IOException {
        server = HttpServer.create(bind, 128);
        executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256), r -> {
            Thread t = new Thread(r, "jobwatch-http");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
        server.setExecutor(executor);
        Filter guard = new Filter() {
            @Override
            public void doFilter(HttpExchange ex, Chain chain) throws IOException {
                inFlight.incrementAndGet();
                requests.incrementAndGet();
                try {
                    if (stopping) {
                        ex.getResponseHeaders().set("Connection", "close");
                        ex.getResponseHeaders().set("Retry-After", "5");
                        Http.error(ex, mapper, 503, "the server is shutting down; send again in a moment");
                        return;
                    }
                    try {
                        chain.doFilter(ex);
                    } catch (RuntimeException e) {
                        Http.error(ex, mapper, 500, "internal error: " + e.getClass().getSimpleName()
                                + (e.getMessage() == null ? "" : ": " + e.getMessage()));
                    }
                } finally {
                    inFlight.decrementAndGet();
                    ex.close();
                }
            }

            @Override
            public String description() {
                return "in-flight tracking, shutdown guard";
            }
        };
        server.createContext("/events", events).getFilters().add(guard);
        server.createContext("/api/", api).getFilters().add(guard);
        // Jobs outside AWS: Healthchecks-style pings and OpenLineage's HTTP transport (its path is under /api/).
        server.createContext("/ping/", inbound).getFilters().add(guard);
        server.createContext(io.jobwatch.core.inbound.Inbound.LINEAGE_PATH, inbound).getFilters().add(guard);
        server.createContext("/login", login).getFilters().add(guard);
        server.createContext("/logout", login).getFilters().add(guard);
        server.createContext("/healthz", ex -> Http.text(ex, 200, "application/json", "{\"status\":\"ok\"}")).getFilters().add(guard);
        server.createContext("/metrics", ex -> Http.text(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render()))
                .getFilters().add(guard);
        server.createContext("/", pages).getFilters().add(guard);
    }

    void start() {
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + a.getPort() + "/");
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Graceful stop: from now on requests are answered 503; waits up to {@code grace} for those in flight, then closes
     * the listener and the request threads.
     */
    void stop(Duration grace) {
        stopping = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        server.stop(0);
        executor.shutdown();
        try {
            executor.awaitTermination(Math.max(1, grace.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
