package dev.pouch.protocol.testing;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.seal.Sha256;
import dev.pouch.crypto.testing.TestPki;
import dev.pouch.protocol.message.Fetch;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.protocol.stream.MemoryStreamStore;
import dev.pouch.protocol.stream.StreamSource;
import dev.pouch.protocol.stream.StreamStore;
import dev.pouch.protocol.transport.ExchangeConnection;
import dev.pouch.protocol.transport.ExchangeHandler;
import dev.pouch.protocol.transport.ExchangeServerTransport;
import dev.pouch.protocol.transport.Limits;
import dev.pouch.protocol.transport.Session;
import dev.pouch.protocol.transport.TlsEngine;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real exchange endpoint on loopback (mutual TLS 1.3, the production pipeline) with a minimal
 * application: uploaded streams go to memory, and a submit is acknowledged once its main stream is
 * complete. Enough to prove the transport, not the exchange.
 */
public final class TestExchange implements AutoCloseable {

    private final TestPki pki;
    private final MemoryStreamStore store;
    private final ExecutorService blocking = Executors.newFixedThreadPool(4);
    private final ExchangeServerTransport server;
    private final TlsEngine engine;
    private final KeyCredential node;
    private final ClientSide clientSide = new ClientSide();
    private final Map<String, ProtocolException> serverAborts = new ConcurrentHashMap<>();

    public TestExchange(TestPki pki, Limits limits) {
        this(pki, limits, TlsEngine.AUTO);
    }

    public TestExchange(TestPki pki, Limits limits, TlsEngine engine) {
        this.engine = engine;
        this.pki = pki;
        this.store = new MemoryStreamStore(limits.maxStreamBytes());
        this.node = pki.authority().issue(CertificateProfile.EXCHANGE_TLS, Identity.exchange(), Duration.ofDays(30));
        this.server = ExchangeServerTransport.start(new ExchangeServerTransport.Config("127.0.0.1", 0, node,
                pki.validator(), limits, new Application(), blocking, 2, 20_000, "pouch-test-server", engine));
    }

    public TestPki pki() {
        return pki;
    }

    public int port() {
        return server.address().getPort();
    }

    public MemoryStreamStore store() {
        return store;
    }

    public int connections() {
        return server.connections();
    }

    /** A client connection for {@code staff}, reconnecting quickly. */
    public ExchangeConnection connect(KeyCredential staff, Limits limits) {
        return connect(staff, limits, pki.validator());
    }

    /** A client connection that judges the exchange with a validator of its own. */
    public ExchangeConnection connect(KeyCredential staff, Limits limits, PkixCertificateValidator validator) {
        return ExchangeConnection.open(new ExchangeConnection.Config("127.0.0.1", port(), staff, validator, limits,
                clientSide, blocking, null, "pouch-test-client", Duration.ofMillis(50), Duration.ofMillis(500), engine));
    }

    /** Where the client connections keep the streams this exchange sends them (fetched objects). */
    public MemoryStreamStore clientStore() {
        return clientSide.store;
    }

    /** Incoming streams this exchange was told were aborted by their sender, by stream id. */
    public Map<String, ProtocolException> serverAborts() {
        return serverAborts;
    }

    /** Incoming streams the client connections were told were aborted by the exchange, by stream id. */
    public Map<String, ProtocolException> clientAborts() {
        return clientSide.aborts;
    }

    /** This exchange's TLS certificate. */
    public java.security.cert.X509Certificate nodeCertificate() {
        return node.certificate();
    }

    @Override
    public void close() {
        server.close();
        blocking.shutdownNow();
    }

    private final class Application implements ExchangeHandler {
        @Override
        public StreamStore streamStore() {
            return store;
        }

        @Override
        public void streamFailed(Session session, String streamId, ProtocolException why) {
            serverAborts.put(streamId, why);
        }

        @Override
        public void handle(Session session, Framed request) {
            if (request.message() instanceof Submit submit) {
                if (!store.isComplete(session.peer(), submit.mainStreamId())) {
                    throw new ProtocolException(ErrorCode.UNKNOWN_STREAM, "main stream not uploaded", submit.mainStreamId());
                }
                session.reply(request, new SubmitAck(submit.documentId(), Instant.now(Clock.systemUTC()), false));
            } else if (request.message() instanceof Fetch f && f.partIndex() == FAILING_PART) {
                // A part whose source fails after its first chunk (a disk error on the exchange).
                session.sendStream("fetched/" + f.documentId() + "/" + f.partIndex(), StreamPurpose.DOWNLOAD,
                        failingAfter(new byte[4 * session.limits().maxChunkBytes()], session.limits().maxChunkBytes()),
                        request.requestId());
            } else if (request.message() instanceof Fetch f) {
                // Answers a fetch with a stream, as the exchange does: 1 KiB named after the document and part.
                byte[] data = new byte[1024];
                java.util.Arrays.fill(data, (byte) f.partIndex());
                session.sendStream("fetched/" + f.documentId() + "/" + f.partIndex(), StreamPurpose.DOWNLOAD,
                        StreamSource.of(data), request.requestId());
            } else {
                throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "not in this test exchange");
            }
        }
    }

    /** A fetch of this part index is answered with a stream whose source fails after its first chunk. */
    public static final int FAILING_PART = 1_000_000;

    /** A source of {@code bytes} whose reads fail from offset {@code failFrom} on (its digest too). */
    public static StreamSource failingAfter(byte[] bytes, long failFrom) {
        StreamSource all = StreamSource.of(bytes);
        return new StreamSource() {
            @Override
            public long size() {
                return all.size();
            }

            @Override
            public ByteString read(long offset, int length) {
                if (offset >= failFrom) {
                    throw new UncheckedIOException(new IOException("test: the source's disk failed at " + offset));
                }
                return all.read(offset, (int) Math.min(length, failFrom - offset));
            }

            @Override
            public Sha256 sha256() {
                throw new UncheckedIOException(new IOException("test: the source's disk failed"));
            }
        };
    }

    /** The client takes no requests; it keeps the streams it fetches. */
    private static final class ClientSide implements ExchangeHandler {
        private final MemoryStreamStore store = new MemoryStreamStore(1 << 20);
        private final Map<String, ProtocolException> aborts = new ConcurrentHashMap<>();

        @Override
        public void streamFailed(Session session, String streamId, ProtocolException why) {
            aborts.put(streamId, why);
        }

        @Override
        public StreamStore streamStore() {
            return store;
        }

        @Override
        public void handle(Session session, Framed request) {
            throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "the test client takes no requests");
        }
    }
}
