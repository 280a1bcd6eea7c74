package dev.pouch.protocol.transport;

import dev.pouch.crypto.testing.TestPki;
import dev.pouch.protocol.testing.TestExchange;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A thousand connections that open TCP and never begin TLS hold no slot for long: the handshake
 * timeout closes them all, and a legitimate client is served while they hang.
 */
class HandshakeFloodIT {

    @Test
    void thousandStalledHandshakes_areClosedByTheTimeout_whileARealClientIsServed() throws Exception {
        TestPki pki = TestPki.create();
        Duration timeout = Duration.ofSeconds(3);
        try (TestExchange exchange = new TestExchange(pki, Limits.defaults().withHandshakeTimeout(timeout))) {
            List<Socket> stalled = new ArrayList<>();
            try {
                for (int i = 0; i < 1000; i++) {
                    Socket s = new Socket(InetAddress.getLoopbackAddress(), exchange.port());
                    s.setSoTimeout(1);
                    stalled.add(s);
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> exchange.connections() >= 1000);

                long start = System.nanoTime();
                try (ExchangeConnection client = exchange.connect(pki.staff("FR-EMB", "duty.officer"), Limits.defaults())) {
                    assertThat(client.awaitSession(Duration.ofSeconds(5)).isEstablished()).isTrue();
                }
                Duration served = Duration.ofNanos(System.nanoTime() - start);
                assertThat(served).as("served while 1000 handshakes hang").isLessThan(timeout);

                await().atMost(timeout.multipliedBy(3)).until(() -> exchange.connections() == 0);
                for (Socket s : stalled) {
                    assertThat(closedByServer(s)).as("closed by the server").isTrue();
                }
            } finally {
                for (Socket s : stalled) {
                    s.close();
                }
            }
        }
    }

    private static boolean closedByServer(Socket s) throws IOException {
        try {
            s.setSoTimeout(2000);
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }
}
