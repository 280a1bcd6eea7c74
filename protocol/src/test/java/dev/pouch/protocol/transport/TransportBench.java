package dev.pouch.protocol.transport;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.crypto.testing.TestPki;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Hello;
import dev.pouch.protocol.stream.StreamSource;
import dev.pouch.protocol.stream.StreamStore;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Transport benchmarks, run as a program (not a test):
 * <pre>
 * stream MiB          chunk streaming over one mutual-TLS connection, beside raw JDK TLS 1.3 in the same run
 * handshakes SECONDS  full mutual TLS 1.3 handshakes plus hello per second, 8 at a time
 * idle COUNT          COUNT idle TLS clients against a server in its own JVM with -Xmx1g; reports its heap
 * server              (used by idle) an endpoint that prints its memory on "stats"
 * </pre>
 * See docs/benchmarks.md for the exact commands.
 */
public final class TransportBench {

    /** The server's blocking work (stores). */
    private static final ExecutorService BLOCKING = Executors.newFixedThreadPool(2);
    /** The client's own (in separate processes they would never share a pool). */
    private static final ExecutorService CLIENT_BLOCKING = Executors.newFixedThreadPool(2);

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "stream" -> stream(Integer.parseInt(args[1]));
            case "handshakes" -> handshakes(Integer.parseInt(args[1]));
            case "idle" -> idle(Integer.parseInt(args[1]));
            case "server" -> server(Path.of(args[1]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    /** Keeps only a running digest per stream: the network, not storage, is what is measured. */
    /** Diagnosis only: -Dbench.nohash=true skips the receiver's digest to show what it costs. Never reported as a result. */
    private static final boolean NO_HASH = Boolean.getBoolean("bench.nohash");

    static final class DigestingStore implements StreamStore {
        private record State(long size, MessageDigest digest, AtomicLong held, boolean[] complete) {
        }

        private final Map<String, State> streams = new ConcurrentHashMap<>();

        @Override
        public long open(Identity owner, String streamId, long totalSize) {
            return streams.computeIfAbsent(owner + streamId, k -> {
                try {
                    return new State(totalSize, MessageDigest.getInstance("SHA-256"), new AtomicLong(), new boolean[1]);
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }).held().get();
        }

        @Override
        public void append(Identity owner, String streamId, long offset, ByteString data) {
            State s = streams.get(owner + streamId);
            if (!NO_HASH) {
                s.digest().update(data.asReadOnlyByteBuffer());
            }
            s.held().addAndGet(data.size());
        }

        @Override
        public void complete(Identity owner, String streamId, Sha256 digest) {
            State s = streams.remove(owner + streamId);
            if (NO_HASH) {
                return;
            }
            if (!Sha256.of(s.digest().digest()).equals(digest)) {
                throw new ProtocolException(ErrorCode.DIGEST_MISMATCH, "mismatch", streamId);
            }
        }

        @Override
        public boolean isComplete(Identity owner, String streamId) {
            return false;
        }
    }

    static final class Application implements ExchangeHandler {
        private final DigestingStore store = new DigestingStore();

        @Override
        public StreamStore streamStore() {
            return store;
        }

        @Override
        public void handle(Session session, Framed request) {
            throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "benchmark server");
        }
    }

    private static ExchangeServerTransport startServer(TestPki pki, Limits limits, int port) {
        KeyCredential node = pki.authority().issue(CertificateProfile.EXCHANGE_TLS, Identity.exchange(), Duration.ofDays(1));
        return ExchangeServerTransport.start(new ExchangeServerTransport.Config("127.0.0.1", port, node, pki.validator(),
                limits, new Application(), BLOCKING, 1, 20_000, "pouch-bench", TlsEngine.fromSystemProperty()));
    }

    /** A source of {@code size} pseudo-random bytes generated on demand, with its digest computed once. */
    private static StreamSource synthetic(long size) throws Exception {
        byte[] block = new byte[1 << 20];
        new java.util.Random(1).nextBytes(block);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (long off = 0; off < size; off += block.length) {
            md.update(block, 0, (int) Math.min(block.length, size - off));
        }
        Sha256 digest = Sha256.of(md.digest());
        return new StreamSource() {
            @Override
            public long size() {
                return size;
            }

            @Override
            public ByteString read(long offset, int length) {
                int start = (int) (offset % block.length);
                int n = (int) Math.min(Math.min(length, block.length - start), size - offset);
                return UnsafeByteOperations.unsafeWrap(block, start, n);
            }

            @Override
            public Sha256 sha256() {
                return digest;
            }
        };
    }

    static void stream(int mib) throws Exception {
        TestPki pki = TestPki.create();
        long size = (long) mib << 20;
        Limits limits = Limits.defaults();
        int window = Integer.getInteger("bench.window", limits.windowChunks());
        limits = new Limits(limits.maxFrameBytes(), limits.maxChunkBytes(), limits.maxOpenStreams(),
                Math.max(limits.maxPendingChunks(), window), window, size, limits.handshakeTimeout(), limits.heartbeat(), limits.idleTimeout(), Duration.ofMinutes(10));
        try (ExchangeServerTransport server = startServer(pki, limits, 0);
             ExchangeConnection client = ExchangeConnection.open(new ExchangeConnection.Config("127.0.0.1", server.address().getPort(),
                     pki.staff("FR-EMB", "bench"), pki.validator(), limits, new Application(), CLIENT_BLOCKING, null, "bench",
                     Duration.ofMillis(100), Duration.ofSeconds(1), TlsEngine.fromSystemProperty()))) {
            client.awaitSession(Duration.ofSeconds(10));
            StreamSource source = synthetic(size);
            client.sendStream("warmup", synthetic(256L << 20)).get(5, TimeUnit.MINUTES);
            long t0 = System.nanoTime();
            client.sendStream("measured", source).get(10, TimeUnit.MINUTES);
            double pouch = size / 1e6 / ((System.nanoTime() - t0) / 1e9);
            double raw = rawJdkTls(pki, size);
            System.out.printf("RESULT stream engine=%s window=%d size=%d MiB pouchStreamMBps=%.0f rawJdkTlsMBps=%.0f ratio=%.2f%n",
                    TlsEngine.fromSystemProperty(), window, mib, pouch, raw, pouch / raw);
        }
    }

    /** The same bytes over a plain JDK TLS 1.3 socket with the same certificates: the limit our framing runs within. */
    private static double rawJdkTls(TestPki pki, long size) throws Exception {
        KeyCredential node = pki.authority().issue(CertificateProfile.EXCHANGE_TLS, Identity.exchange(), Duration.ofDays(1));
        KeyCredential staff = pki.staff("FR-EMB", "raw");
        SSLContext serverCtx = context(node, pki.root());
        SSLContext clientCtx = context(staff, pki.root());
        try (SSLServerSocket listener = (SSLServerSocket) serverCtx.getServerSocketFactory().createServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setEnabledProtocols(new String[] {"TLSv1.3"});
            Thread reader = new Thread(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept(); InputStream in = s.getInputStream()) {
                    byte[] buf = new byte[256 * 1024];
                    while (in.read(buf) >= 0) {
                        // discard
                    }
                } catch (Exception ignored) {
                    // closed
                }
            });
            reader.start();
            try (SSLSocket s = (SSLSocket) clientCtx.getSocketFactory().createSocket("127.0.0.1", listener.getLocalPort())) {
                s.setEnabledProtocols(new String[] {"TLSv1.3"});
                s.startHandshake();
                OutputStream out = s.getOutputStream();
                byte[] buf = new byte[256 * 1024];
                new java.util.Random(2).nextBytes(buf);
                for (long sent = 0; sent < 256L << 20; sent += buf.length) {
                    out.write(buf); // warm-up
                }
                long t0 = System.nanoTime();
                for (long sent = 0; sent < size; sent += buf.length) {
                    out.write(buf);
                }
                out.flush();
                double mbps = size / 1e6 / ((System.nanoTime() - t0) / 1e9);
                s.close();
                reader.join(10_000);
                return mbps;
            }
        }
    }

    private static SSLContext context(KeyCredential key, X509Certificate root) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", key.privateKey(), new char[0], key.chain().toArray(X509Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        ts.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    static void handshakes(int seconds) throws Exception {
        TestPki pki = TestPki.create();
        try (ExchangeServerTransport server = startServer(pki, Limits.defaults(), 0)) {
            SslContext tls = TlsContexts.client(pki.staff("FR-EMB", "bench"), pki.validator(), TlsEngine.fromSystemProperty());
            EventLoopGroup group = EventLoops.group(1, "bench-client");
            Bootstrap b = clientBootstrap(group, tls, server.address().getPort());
            runHandshakes(b, 2);
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            AtomicLong done = new AtomicLong();
            int concurrency = 8;
            CountDownLatch finished = new CountDownLatch(concurrency);
            long t0 = System.nanoTime();
            for (int i = 0; i < concurrency; i++) {
                Thread.ofVirtual().start(() -> {
                    while (System.nanoTime() < end) {
                        try {
                            runHandshakes(b, 1);
                            done.incrementAndGet();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    finished.countDown();
                });
            }
            finished.await();
            double rate = done.get() / ((System.nanoTime() - t0) / 1e9);
            System.out.printf("RESULT handshakes=%d perSecond=%.0f (full mutual TLS 1.3 + hello, client and server on the same 2 cores)%n",
                    done.get(), rate);
            group.shutdownGracefully();
        }
    }

    private static Bootstrap clientBootstrap(EventLoopGroup group, SslContext tls, int port) {
        return new Bootstrap().group(group).channel(EventLoops.clientChannel())
                .remoteAddress("127.0.0.1", port)
                .handler(new ClientChannelInitializer(tls, "127.0.0.1", port, Limits.defaults(), new Application(), BLOCKING, "bench"));
    }

    private static void runHandshakes(Bootstrap b, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Channel ch = connectAndHello(b);
            ch.close().sync();
        }
    }

    private static Channel connectAndHello(Bootstrap b) throws Exception {
        Channel ch = b.connect().sync().channel();
        ch.pipeline().get(SslHandler.class).handshakeFuture().sync();
        Session session = ch.pipeline().get(SessionHandler.class).session();
        session.request(new Hello(1, 1, "bench")).get(10, TimeUnit.SECONDS);
        return ch;
    }

    static void idle(int count) throws Exception {
        TestPki pki = TestPki.create();
        Path dir = Files.createTempDirectory("pouch-idle");
        Path portFile = dir.resolve("port");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        Process server = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseG1GC",
                "-Dpouch.tls.engine=" + TlsEngine.fromSystemProperty(), "-cp", cp, TransportBench.class.getName(), "server",
                portFile.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        OutputStream serverIn = server.getOutputStream();
        try {
            String ready = serverOut.readLine();
            int port = Integer.parseInt(ready.split(" ")[1]);
            // the server wrote its root certificate and a client credential for us
            TestPki.ImportedPki imported = TestPki.importFrom(dir);
            SslContext tls = TlsContexts.client(imported.staff(), imported.validator(), TlsEngine.fromSystemProperty());
            EventLoopGroup group = EventLoops.group(2, "idle-client");
            Bootstrap b = clientBootstrap(group, tls, port);
            List<Channel> channels = new ArrayList<>(count);
            long t0 = System.nanoTime();
            ExecutorService opener = Executors.newVirtualThreadPerTaskExecutor();
            List<java.util.concurrent.Future<Channel>> pending = new ArrayList<>();
            java.util.concurrent.Semaphore inFlight = new java.util.concurrent.Semaphore(64);
            for (int i = 0; i < count; i++) {
                pending.add(opener.submit(() -> {
                    inFlight.acquire();
                    try {
                        return connectAndHello(b);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (var f : pending) {
                channels.add(f.get());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(5000);
            serverIn.write("stats\n".getBytes(StandardCharsets.UTF_8));
            serverIn.flush();
            String stats = serverOut.readLine();
            long open = channels.stream().filter(Channel::isActive).count();
            System.out.printf("RESULT idle clients=%d stillOpen=%d connectSeconds=%.1f server: %s%n", count, open, seconds, stats);
            for (Channel c : channels) {
                c.close();
            }
            group.shutdownGracefully();
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static void server(Path portFile) throws Exception {
        TestPki pki = TestPki.create();
        try (ExchangeServerTransport server = startServer(pki, Limits.defaults(), 0)) {
            pki.exportTo(portFile.getParent());
            System.out.println("PORT " + server.address().getPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("stats")) {
                    System.gc();
                    Thread.sleep(500);
                    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    long direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                            .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
                    long nettyDirect = io.netty.util.internal.PlatformDependent.usedDirectMemory();
                    long rssKiB = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                            .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
                    System.out.printf("engine=%s connections=%d heapUsedAfterGcMiB=%d heapMaxMiB=%d directBufferPoolMiB=%d"
                                    + " nettyDirectMiB=%d processRssMiB=%d%n",
                            TlsEngine.fromSystemProperty(), server.connections(), heap >> 20, Runtime.getRuntime().maxMemory() >> 20,
                            direct >> 20, Math.max(0, nettyDirect) >> 20, rssKiB >> 10);
                    System.out.flush();
                }
            }
        }
    }
}
