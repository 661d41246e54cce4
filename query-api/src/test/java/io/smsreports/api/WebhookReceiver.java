package io.smsreports.api;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server that takes webhook POSTs, as a receiver would, answering 503 to the first {@code refusals} of them. */
final class WebhookReceiver implements AutoCloseable {

    /** One request as received. */
    record Received(Map<String, String> headers, byte[] body, int answered) {
        String header(final String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new ArrayList<>();
    private final AtomicInteger refusals;

    private WebhookReceiver(final HttpServer server, final int refusals) {
        this.server = server;
        this.refusals = new AtomicInteger(refusals);
    }

    static WebhookReceiver start(final int port, final int refusals) throws IOException {
        final HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        final WebhookReceiver receiver = new WebhookReceiver(server, refusals);
        server.createContext("/", exchange -> {
            final byte[] body = exchange.getRequestBody().readAllBytes();
            final Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0)));
            final int status = !exchange.getRequestMethod().equals("POST") ? 405 : receiver.refusals.getAndDecrement() > 0 ? 503 : 200;
            synchronized (receiver.received) {
                receiver.received.add(new Received(headers, body, status));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
        return receiver;
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Every request so far, in arrival order. */
    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** The requests answered 200, in arrival order. */
    List<Received> accepted() {
        return received().stream().filter(r -> r.answered() == 200).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
