package dev.pouch.protocol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that stands in for a poor link: it forwards both ways and, for the first
 * {@code cuts} connections, cuts the connection abruptly after {@code cutAfter} bytes went from
 * client to server. It counts every byte it forwarded to the server.
 */
public final class CuttingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final AtomicLong toServer = new AtomicLong();
    private final AtomicInteger cutsLeft;
    private final long cutAfter;
    private final AtomicInteger connections = new AtomicInteger();

    public CuttingProxy(int target, int cuts, long cutAfter) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.cutsLeft = new AtomicInteger(cuts);
        this.cutAfter = cutAfter;
        Thread acceptor = new Thread(this::accept, "cutting-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Bytes forwarded from clients to the server, over all connections. */
    public long bytesToServer() {
        return toServer.get();
    }

    public int connections() {
        return connections.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                connections.incrementAndGet();
                long budget = cutsLeft.getAndDecrement() > 0 ? cutAfter : Long.MAX_VALUE;
                pump(client, server, budget, true);
                pump(server, client, Long.MAX_VALUE, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, long budget, boolean countToServer) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            long forwarded = 0;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer, 0, (int) Math.min(buffer.length, Math.max(1, budget - forwarded)))) > 0) {
                    out.write(buffer, 0, n);
                    forwarded += n;
                    if (countToServer) {
                        toServer.addAndGet(n);
                    }
                    if (forwarded >= budget) {
                        break; // the link breaks here, mid-stream
                    }
                }
            } catch (IOException ignored) {
                // the other direction closed
            } finally {
                close(from);
                close(to);
            }
        }, "cutting-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.setSoLinger(true, 0); // abrupt, as a broken link
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
