package io.smsreports.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Free TCP ports for brokers, controllers and services started by a test, never the same one twice in a JVM.
 *
 * <p>The operating system picks a port for {@code new ServerSocket(0)} among the free ones, and once that socket is closed
 * the same port can come back from the next call: a three-node cluster then gave two controllers one port, and a node
 * failed to start with "Address already in use" (the chaos suite, 2026-12-05). A port handed out here is remembered and
 * never handed out again.
 */
public final class FreePorts {

    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
    private static final int ATTEMPTS = 100;

    private FreePorts() {
    }

    /** A port free now and not handed out before by this JVM. */
    public static int next() throws IOException {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            final int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                socket.setReuseAddress(true);
                port = socket.getLocalPort();
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IOException("no free port that was not handed out before in " + ATTEMPTS + " attempts");
    }
}
