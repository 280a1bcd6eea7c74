package dev.pouch.server.testing;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Certificates;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.pki.TrustStore;
import dev.pouch.crypto.receipt.EssReceipts;
import dev.pouch.crypto.receipt.ReceiptSigner;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.crypto.seal.CmsSealer;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.crypto.seal.SealedParts;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Deliver;
import dev.pouch.protocol.message.DeliverAck;
import dev.pouch.protocol.message.Notice;
import dev.pouch.protocol.message.NoticeAck;
import dev.pouch.protocol.message.DirectoryQuery;
import dev.pouch.protocol.message.DirectoryReply;
import dev.pouch.protocol.message.Fetch;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.ReceiptUpload;
import dev.pouch.protocol.message.SignFor;
import dev.pouch.protocol.message.StatusQuery;
import dev.pouch.protocol.message.StatusReply;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.protocol.stream.MemoryStreamStore;
import dev.pouch.protocol.stream.StreamSource;
import dev.pouch.protocol.stream.StreamStore;
import dev.pouch.protocol.transport.ExchangeConnection;
import dev.pouch.protocol.transport.ExchangeHandler;
import dev.pouch.protocol.transport.Limits;
import dev.pouch.protocol.transport.Session;
import dev.pouch.protocol.transport.TlsEngine;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One office (or HQ department) as a real client would be, over the real protocol: mutual TLS
 * with a staff certificate, sealing with the organization's signing key for the certificates the
 * directory gives, and receiving pushed documents — each is opened and verified (parts fetched
 * and checked), acknowledged only once held, and answered with a signed ESS receipt. It keeps
 * what arrived, in order, and counts documents delivered more than once.
 */
public final class TestOffice implements ExchangeHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TestOffice.class);
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** An organization's keys and the staff member whose TLS certificate signs in. */
    public record Keys(OrgCode organization, KeyCredential tls, KeyCredential signing, KeyCredential keyAgreement) {
        public static Keys of(Credentials credentials) {
            KeyCredential signing = credentials.require(CredentialRole.SIGNING);
            return new Keys(signing.identity().requireOrganization(), credentials.require(CredentialRole.TLS), signing,
                    credentials.require(CredentialRole.KEY_AGREEMENT));
        }
    }

    /** A document this office received, opened and verified. */
    public record Received(UUID id, OpenedDocument document, byte[] sealed, byte[] content, Instant at) {
    }

    private record PendingDelivery(Session session, Framed request, Deliver deliver) {
    }

    private final Keys keys;
    private final PkixCertificateValidator validator;
    private final TrustStore trust;
    private final CmsSealer sealer;
    private final CmsOpener opener;
    private final ReceiptSigner receipts;
    private final MemoryStreamStore store = new MemoryStreamStore(Limits.defaults().maxStreamBytes());
    private final Map<String, PendingDelivery> pending = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<byte[]>> fetches = new ConcurrentHashMap<>();
    private final Map<UUID, Received> received = new ConcurrentHashMap<>();
    private final List<UUID> arrivals = new CopyOnWriteArrayList<>();
    private final Map<UUID, CompletableFuture<Void>> receiptsAccepted = new ConcurrentHashMap<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final List<Notice> notices = new CopyOnWriteArrayList<>();
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final ExchangeConnection connection;
    private volatile boolean acknowledge = true;
    private volatile boolean refuse;

    private TestOffice(Keys keys, X509Certificate root, String host, int port, EventLoopGroup group, int partSize) {
        this.keys = keys;
        this.trust = TrustStore.of(List.of(root));
        this.validator = new PkixCertificateValidator(trust, Clock.systemUTC());
        this.sealer = CmsSealer.builder().signer(keys.signing()).validator(validator).partSize(partSize)
                .inlineLimit(partSize).build();
        this.opener = CmsOpener.builder().recipient(keys.keyAgreement()).validator(validator).build();
        this.receipts = EssReceipts.signer(keys.signing(), validator, Clock.systemUTC());
        this.connection = ExchangeConnection.open(new ExchangeConnection.Config(host, port, keys.tls(), validator,
                Limits.defaults(), this, blocking, group, "pouch-test-office", Duration.ofMillis(100), Duration.ofSeconds(2),
                TlsEngine.AUTO));
    }

    /** Connects (and keeps reconnecting) to the exchange at {@code host:port}. */
    public static TestOffice connect(Keys keys, X509Certificate root, String host, int port) {
        return new TestOffice(keys, root, host, port, null, CmsSealer.DEFAULT_PART_SIZE);
    }

    /** Like {@link #connect}, sealing content above {@code partSize} bytes as parts of that size. */
    public static TestOffice connect(Keys keys, X509Certificate root, String host, int port, int partSize) {
        return new TestOffice(keys, root, host, port, null, partSize);
    }

    public OrgCode organization() {
        return keys.organization();
    }

    public Keys keys() {
        return keys;
    }

    /** Waits until the connection is established (hello and welcome done). */
    public TestOffice awaitConnected() {
        return awaitConnected(WAIT);
    }

    public TestOffice awaitConnected(Duration timeout) {
        connection.awaitSession(timeout);
        return this;
    }

    /** Refuse every delivery, document or notice, with an error (a client whose disk is full, say). */
    public void refuseDeliveries(boolean refuse) {
        this.refuse = refuse;
    }

    /** Whether to acknowledge deliveries (false simulates a client that dies before persisting). */
    public void acknowledgeDeliveries(boolean acknowledge) {
        this.acknowledge = acknowledge;
    }

    // --- sending

    /** Seals {@code content} for the header's recipients and the archive, uploads it and submits it. */
    public SubmitAck send(DocumentHeader header, byte[] content) {
        return submitSealed(header.documentId(), seal(header, content));
    }

    /** The sealed document this office would send (certificates from the exchange directory). */
    public byte[] seal(DocumentHeader header, byte[] content) {
        return sealer.seal(header, content, recipientCertificates(header)).encoded();
    }

    /** Seals a file as parts and submits main object and parts. */
    public SubmitAck sendParts(DocumentHeader header, Path content, Path workDir) {
        return sendParts(header, content, workDir, parts -> parts);
    }

    /** The same, uploading the part files {@code tamper} returns in place of the sealed ones (a forgery). */
    public SubmitAck sendParts(DocumentHeader header, Path content, Path workDir,
            java.util.function.UnaryOperator<List<Path>> tamper) {
        SealedParts sealed = sealer.sealParts(header, content, recipientCertificates(header), workDir);
        List<Path> files = tamper.apply(sealed.partFiles());
        List<String> partStreams = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            String stream = "up/" + header.documentId() + "/part-" + i;
            await(connection.sendStream(stream, StreamSource.of(files.get(i))));
            partStreams.add(stream);
        }
        String main = "up/" + header.documentId() + "/main";
        await(connection.sendStream(main, StreamSource.of(sealed.main().encoded())));
        return (SubmitAck) await(connection.request(new Submit(header.documentId(), main, partStreams)));
    }

    /** Uploads already-sealed bytes as the main object and submits them under {@code id}. */
    public SubmitAck submitSealed(UUID id, byte[] sealed) {
        return submitSealed(id, sealed, "up/" + id + "/main/" + UUID.randomUUID());
    }

    /** The same, over a stream id of the caller's choosing (the same id resumes an interrupted upload). */
    public SubmitAck submitSealed(UUID id, byte[] sealed, String streamId) {
        upload(streamId, sealed);
        return (SubmitAck) await(connection.request(new Submit(id, streamId, List.of())));
    }

    /** Uploads bytes as a stream, without submitting anything. */
    public void upload(String streamId, byte[] bytes) {
        await(connection.sendStream(streamId, StreamSource.of(bytes)));
    }

    /** The key-agreement certificates of the header's recipients, and the archive's. */
    public List<X509Certificate> recipientCertificates(DocumentHeader header) {
        DirectoryReply reply = directory(header.allRecipients().stream().map(OrgCode::value).toList());
        List<X509Certificate> certificates = new ArrayList<>();
        for (DirectoryReply.Entry e : reply.entries()) {
            if (e.keyAgreementCertificate().isEmpty()) {
                throw new IllegalStateException(e.code() + " has no key-agreement certificate");
            }
            certificates.add(Certificates.parse(e.keyAgreementCertificate().toByteArray()));
        }
        certificates.add(Certificates.parse(reply.archiveCertificate().toByteArray()));
        return certificates;
    }

    /** Organizations with their certificates; installs the exchange's current CRL. */
    public DirectoryReply directory(List<String> organizations) {
        DirectoryReply reply = (DirectoryReply) await(connection.request(new DirectoryQuery(organizations, List.of(), false)));
        trust.update(crl(reply.crl().toByteArray()));
        return reply;
    }

    public StatusReply status(UUID id) {
        return (StatusReply) await(connection.request(new StatusQuery(id)));
    }

    public Message signFor(UUID id, String note) {
        return await(connection.request(new SignFor(id, note)));
    }

    /** Any request, waiting for its answer (a refusal is thrown as the remote failure). */
    public Message request(Message message) {
        return await(connection.request(message));
    }

    // --- receiving

    @Override
    public StreamStore streamStore() {
        return store;
    }

    @Override
    public void handle(Session session, Framed request) {
        if ((request.message() instanceof Deliver || request.message() instanceof Notice) && refuse) {
            session.replyFailure(request, new ProtocolException(ErrorCode.BUSY, "cannot store anything now"));
        } else if (request.message() instanceof Deliver d) {
            Received already = received.get(d.documentId());
            if (already != null) {
                duplicates.incrementAndGet();
                if (acknowledge) {
                    blocking.execute(() -> acknowledge(session, request, already));
                }
                return;
            }
            pending.put(d.mainStreamId(), new PendingDelivery(session, request, d));
            if (store.isComplete(session.peer(), d.mainStreamId())) {
                streamComplete(session, d.mainStreamId());
            }
        } else if (request.message() instanceof Notice n) {
            if (notices.stream().noneMatch(k -> k.noticeId().equals(n.noticeId()))) {
                notices.add(n);
            }
            session.reply(request, new NoticeAck(n.noticeId()));
        } else {
            session.replyFailure(request, new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "an office takes deliveries only"));
        }
    }

    @Override
    public void streamComplete(Session session, String streamId) {
        CompletableFuture<byte[]> fetch = fetches.remove(streamId);
        if (fetch != null) {
            fetch.complete(store.completed(session.peer(), streamId).orElseThrow());
            return;
        }
        PendingDelivery p = pending.remove(streamId);
        if (p != null) {
            blocking.execute(() -> accept(p));
        }
    }

    private void accept(PendingDelivery p) {
        UUID id = p.deliver().documentId();
        try {
            byte[] sealed = store.completed(p.session().peer(), p.deliver().mainStreamId()).orElseThrow();
            OpenedDocument opened = opener.open(sealed, ValidationTime.now());
            if (!opened.header().documentId().equals(id)) {
                throw new ProtocolException(ErrorCode.CRYPTO_HEADER_INVALID, "delivered as " + id + " but sealed as "
                        + opened.header().documentId());
            }
            byte[] content = opened.isParted() ? openParts(p.session(), opened, p.deliver()) : opened.contentBytes();
            Received r = new Received(id, opened, sealed, content, Instant.now());
            Received earlier = received.putIfAbsent(id, r);
            if (earlier != null) {
                duplicates.incrementAndGet();
            } else {
                arrivals.add(id);
            }
            if (acknowledge) {
                acknowledge(p.session(), p.request(), earlier != null ? earlier : r);
            }
        } catch (RuntimeException e) {
            log.warn("{} could not accept {}: {}", keys.organization(), id, e.toString());
            failures.add(e);
            p.session().replyFailure(p.request(), e instanceof ProtocolException pe ? pe
                    : new ProtocolException(ErrorCode.INTERNAL_ERROR, e.toString()));
        }
    }

    /** Acknowledges a held document, then returns a signed receipt for it (once). */
    private void acknowledge(Session session, Framed request, Received r) {
        session.reply(request, new DeliverAck(r.id()));
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        if (receiptsAccepted.putIfAbsent(r.id(), accepted) != null) {
            return;
        }
        byte[] receipt = receipts.sign(r.document().originalSignature()).encoded();
        session.request(new ReceiptUpload(r.id(), ByteString.copyFrom(receipt))).whenComplete((ack, e) -> {
            if (e != null) {
                accepted.completeExceptionally(e);
            } else {
                accepted.complete(null);
            }
        });
    }

    private byte[] openParts(Session session, OpenedDocument main, Deliver deliver) {
        var out = new java.io.ByteArrayOutputStream();
        for (var part : deliver.parts()) {
            CompletableFuture<byte[]> bytes = new CompletableFuture<>();
            fetches.put(part.streamId(), bytes);
            session.request(new Fetch(deliver.documentId(), part.index(), 0)).whenComplete((begin, e) -> {
                if (e != null) {
                    bytes.completeExceptionally(e);
                }
            });
            if (store.isComplete(session.peer(), part.streamId())) {
                bytes.complete(store.completed(session.peer(), part.streamId()).orElseThrow());
            }
            out.writeBytes(opener.openPart(main, part.index(), await(bytes)));
        }
        return out.toByteArray();
    }

    /** What arrived, by id. */
    /** The notices the exchange sent this office, each once, in arrival order. */
    public List<Notice> notices() {
        return List.copyOf(notices);
    }

    public Map<UUID, Received> received() {
        return Map.copyOf(received);
    }

    /** Ids in the order they arrived (first arrival only). */
    public List<UUID> arrivals() {
        return List.copyOf(arrivals);
    }

    /** Deliveries of a document already held. */
    public int duplicates() {
        return duplicates.get();
    }

    /** Deliveries this office refused (a document that did not open or verify). */
    public List<Throwable> failures() {
        return List.copyOf(failures);
    }

    /** Waits until {@code id} has arrived. */
    public Received awaitDocument(UUID id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Received r = received.get(id);
            if (r != null) {
                return r;
            }
            sleep(20);
        }
        throw new AssertionError(keys.organization() + " did not receive " + id + " within " + timeout
                + (failures.isEmpty() ? "" : "; failures: " + failures));
    }

    /** Waits until the exchange accepted this office's receipt for {@code id}. */
    public void awaitReceiptAccepted(UUID id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (receiptsAccepted.get(id) == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(keys.organization() + " sent no receipt for " + id);
            }
            sleep(20);
        }
        try {
            receiptsAccepted.get(id).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(keys.organization() + "'s receipt for " + id + " was refused", e.getCause());
        } catch (TimeoutException | InterruptedException e) {
            throw new AssertionError(keys.organization() + "'s receipt for " + id + " was not answered", e);
        }
    }

    /** Drops the TCP connection (it reconnects by itself). */
    public void dropConnection() {
        connection.dropConnection();
    }

    @Override
    public void close() {
        connection.close();
        blocking.shutdownNow();
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static X509CRL crl(byte[] der) {
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CertificateException | java.security.cert.CRLException e) {
            throw new IllegalStateException("the exchange sent an unreadable CRL", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
