package dev.pouch.client;

import com.google.protobuf.ByteString;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.Password;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Certificates;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.CredentialStore;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.Credentials;
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
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.protocol.stream.MemoryStreamStore;
import dev.pouch.protocol.stream.StreamSource;
import dev.pouch.protocol.stream.StreamStore;
import dev.pouch.protocol.transport.ConnectionClosedException;
import dev.pouch.protocol.transport.ExchangeConnection;
import dev.pouch.protocol.transport.ExchangeHandler;
import dev.pouch.protocol.transport.Limits;
import dev.pouch.protocol.transport.RemoteFailureException;
import dev.pouch.protocol.transport.Session;
import dev.pouch.protocol.transport.TlsEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A staff member's connection to the exchange, built from their credentials (PKCS#12): sends
 * documents (sealed here, for the recipients' certificates from the exchange's directory and for
 * the archive), asks their status, signs for received ones — and takes the documents the
 * exchange delivers to the organization, opening and verifying each, storing it with its sealed
 * original in the {@link LocalStore}, acknowledging it only then, and returning a signed receipt.
 * It reconnects by itself and resumes interrupted transfers.
 */
public final class ExchangeClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExchangeClient.class);
    private static final int MAX_RESUBMISSIONS = 20;
    /** The recipient that stands for every overseas office of the exchange. */
    public static final String ALL_OFFICES = "all";

    private final Credentials credentials;
    private final OrgCode organization;
    private final TrustStore trust;
    private final PkixCertificateValidator validator;
    private final CmsSealer sealer;
    private final CmsOpener opener;
    private final ReceiptSigner receipts;
    private final LocalStore store;
    private final Duration timeout;
    private final ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
    private final Receiver receiver;
    private final ExchangeConnection connection;
    private volatile Consumer<LocalStore.Entry> onArrival = e -> { };
    private volatile Consumer<Notice> onNotice = n -> { };
    private volatile UploadListener onUpload = new UploadListener() { };
    private volatile X509Certificate archiveCertificate;
    /** The CRL last written to the store (see {@link #keepCrl}). */
    private volatile java.security.cert.X509CRL keptCrl;

    private ExchangeClient(Builder b) {
        this.credentials = b.credentials;
        this.organization = Identity.of(credentials.require(CredentialRole.TLS).certificate()).requireOrganization();
        this.trust = TrustStore.of(credentials.trustAnchors());
        this.validator = new PkixCertificateValidator(trust, Clock.systemUTC());
        this.sealer = CmsSealer.builder().signer(credentials.require(CredentialRole.SIGNING)).validator(validator).build();
        this.opener = CmsOpener.builder().recipient(credentials.require(CredentialRole.KEY_AGREEMENT)).validator(validator).build();
        this.receipts = EssReceipts.signer(credentials.require(CredentialRole.SIGNING), validator, Clock.systemUTC());
        this.store = new LocalStore(b.storeDir != null ? b.storeDir
                : Path.of(System.getProperty("user.home"), ".pouch", organization.value()));
        this.timeout = b.timeout;
        this.receiver = new Receiver();
        this.connection = ExchangeConnection.open(new ExchangeConnection.Config(b.host, b.port,
                credentials.require(CredentialRole.TLS), validator, Limits.defaults(), receiver, blocking, null,
                "pouch-client/0.1", Duration.ofMillis(200), Duration.ofSeconds(30), TlsEngine.AUTO, b.takesDeliveries));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads credentials from a PKCS#12 file, with messages a person understands for the usual
     * mistakes (no file, wrong password, an expired certificate).
     */
    public static Credentials readCredentials(Path file, Password password) {
        if (!Files.isRegularFile(file)) {
            throw new ClientException(ClientException.Kind.CREDENTIALS, "no credentials file at " + file);
        }
        Credentials c;
        try {
            c = CredentialStore.read(file, password);
        } catch (CryptoException e) {
            throw new ClientException(ClientException.Kind.CREDENTIALS, "cannot open " + file.getFileName()
                    + ": the password is wrong or the file is damaged", e);
        }
        for (CredentialRole role : List.of(CredentialRole.TLS, CredentialRole.SIGNING, CredentialRole.KEY_AGREEMENT)) {
            X509Certificate cert = c.find(role).orElseThrow(() -> new ClientException(ClientException.Kind.CREDENTIALS,
                    file.getFileName() + " holds no " + role.name().toLowerCase().replace('_', '-') + " key")).certificate();
            try {
                cert.checkValidity();
            } catch (CertificateExpiredException e) {
                throw new ClientException(ClientException.Kind.CREDENTIALS, "the " + role.name().toLowerCase().replace('_', '-')
                        + " certificate in " + file.getFileName() + " expired on " + cert.getNotAfter().toInstant()
                        + "; ask an administrator for a new one", e);
            } catch (CertificateNotYetValidException e) {
                throw new ClientException(ClientException.Kind.CREDENTIALS, "the certificate in " + file.getFileName()
                        + " is valid only from " + cert.getNotBefore().toInstant(), e);
            }
        }
        if (c.trustAnchors().isEmpty()) {
            throw new ClientException(ClientException.Kind.CREDENTIALS, file.getFileName() + " holds no exchange root certificate");
        }
        return c;
    }

    public OrgCode organization() {
        return organization;
    }

    public LocalStore store() {
        return store;
    }

    /** Called on a worker thread for each newly stored notice (a survey reminder, an extension, a withdrawal). */
    public void onNotice(Consumer<Notice> listener) {
        this.onNotice = Objects.requireNonNull(listener);
    }

    /** Called on a worker thread for each newly stored document. */
    public void onArrival(Consumer<LocalStore.Entry> listener) {
        this.onArrival = Objects.requireNonNull(listener);
    }

    /** Told how an upload advances (for a progress bar). */
    public interface UploadListener {
        /** The sealed document is ready: {@code totalBytes} to upload. */
        default void started(long totalBytes) {
        }

        /** {@code uploadedBytes} of the total have been read for sending (resumed bytes count once). */
        default void progress(long uploadedBytes) {
        }
    }

    public void onUpload(UploadListener listener) {
        this.onUpload = Objects.requireNonNull(listener);
    }

    /** True while a session with the exchange is established. */
    public boolean isConnected() {
        var s = connection.session();
        return s.isDone() && !s.isCompletedExceptionally() && s.join().isOpen();
    }

    /** Waits for the connection (hello and welcome done). */
    public ExchangeClient awaitConnected() {
        try {
            connection.awaitSession(timeout);
        } catch (RuntimeException e) {
            throw new ClientException(ClientException.Kind.UNREACHABLE, e.getMessage(), e);
        }
        keepCrl();
        return this;
    }

    // --- sending

    /** What the exchange answered to a document sent. */
    public record Sent(UUID id, String number, Instant acceptedAt, boolean duplicate, List<OrgCode> recipients) {
    }

    /**
     * Seals the files for the recipients and the archive, uploads them (resuming after breaks)
     * and submits; returns once the exchange has stored and queued the document. A resubmission
     * after a lost answer returns the first answer.
     */
    public Sent send(Draft draft) {
        return send(draft, address(draft.actionRecipients(), draft.informationRecipients()), java.util.Optional.empty());
    }

    /**
     * Recipients as the exchange's directory knows them, with the certificates a document for
     * them is sealed to (theirs and the archive's): looked up once, for many documents to the same
     * recipients (a batch).
     */
    public record Addressees(List<String> named, List<OrgCode> action, List<OrgCode> information,
            List<X509Certificate> certificates) {
        public Addressees {
            named = List.copyOf(named);
            action = List.copyOf(action);
            information = List.copyOf(information);
            certificates = List.copyOf(certificates);
        }

        public List<OrgCode> all() {
            return concatLists(action, information);
        }
    }

    /**
     * Looks the recipients up (codes, {@code region:X}, or {@code all} for every overseas office);
     * unknown organizations and regions, and organizations without an encryption certificate, are
     * refused here, before anything is sent.
     */
    public Addressees address(List<String> actionRecipients, List<String> informationRecipients) {
        Map<String, DirectoryReply.Entry> directory = resolve(actionRecipients, informationRecipients);
        // "all" means every other office: an office sending to all does not address itself
        List<OrgCode> action = expand(actionRecipients, directory).stream()
                .filter(o -> !o.equals(organization) || !namesAll(actionRecipients)).toList();
        List<OrgCode> information = expand(informationRecipients, directory).stream()
                .filter(o -> !action.contains(o))
                .filter(o -> !o.equals(organization) || !namesAll(informationRecipients)).toList();
        List<X509Certificate> certificates = new ArrayList<>();
        for (OrgCode o : concatLists(action, information)) {
            certificates.add(keyAgreementCertificate(directory.get(o.value())));
        }
        certificates.add(archiveCertificate);
        return new Addressees(concatLists(actionRecipients, informationRecipients), action, information, certificates);
    }

    /**
     * Sends {@code draft} to recipients looked up before ({@link #address}), as one document of
     * {@code batch} if given. The draft's recipients must be those the addressees were looked up for.
     */
    public Sent send(Draft draft, Addressees to, java.util.Optional<Submit.Batch> batch) {
        if (!to.named().equals(concatLists(draft.actionRecipients(), draft.informationRecipients()))) {
            throw new IllegalArgumentException("the addressees were looked up for other recipients than the draft names");
        }
        List<OrgCode> action = to.action();
        List<OrgCode> information = to.information();
        List<Attachment> attachments = new ArrayList<>();
        long total = 0;
        for (Path f : draft.files()) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, "no readable file at " + f);
            }
            long size = size(f);
            attachments.add(new Attachment(f.getFileName().toString(), MediaTypes.of(f), size));
            total += size;
        }
        DocumentHeader.Builder hb = DocumentHeader.builder().documentId(draft.id()).documentNumber(draft.number())
                .type(draft.type()).subject(draft.subject()).sender(organization).actionRecipients(action)
                .informationRecipients(information).precedence(draft.precedence()).classification(draft.classification())
                .attachments(attachments);
        draft.inReplyTo().ifPresent(hb::inReplyTo);
        draft.deadline().ifPresent(hb::deadline);
        DocumentHeader header;
        try {
            header = hb.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, e.getMessage(), e);
        }
        List<X509Certificate> recipients = to.certificates();

        // The sealed object is kept before it is uploaded: sending the same id again (after a lost
        // answer, a crash) resubmits exactly these bytes, which the exchange answers as the first time.
        long size = total;
        List<Path> sealed = store.sealed(header.documentId()).orElseGet(() -> size <= CmsSealer.DEFAULT_INLINE_LIMIT
                ? store.keepSealed(header.documentId(), sealer.seal(header, concat(draft.files(), size), recipients).encoded(), List.of())
                : sendLarge(header, draft.files(), recipients));
        List<StreamSource> sources = counted(sealed.stream().map(StreamSource::of).toList());
        SubmitAck ack;
        try {
            ack = submit(header.documentId(), sources, batch);
        } catch (ClientException e) {
            if (e.kind() == ClientException.Kind.REFUSED && !e.retryable()) {
                store.forgetSealed(header.documentId()); // refused for good: it was never sent
            }
            throw e;
        }
        return new Sent(ack.documentId(), header.documentNumber(), ack.acceptedAt(), ack.duplicate(), header.allRecipients());
    }

    /** A document sealed for this organization alone: the main object and, for a large one, its parts. */
    public record Kept(UUID id, Path main, List<Path> parts) {
    }

    /**
     * Seals {@code content} for this organization alone (its own key-agreement certificate, and the
     * archive's): a document kept, never sent — a survey compilation, say. {@code header} must name
     * this organization as sender and single recipient. Writes {@code <id>.p7m} (and its parts,
     * {@code <id>.part-N.p7m}) into {@code dir}.
     */
    public Kept keep(DocumentHeader header, Path content, Path dir) {
        if (!header.isForSenderOnly() || !header.sender().equals(organization)) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "a kept document is from and for " + organization + " alone");
        }
        DirectoryReply reply = (DirectoryReply) await(connection.request(
                new DirectoryQuery(List.of(organization.value()), List.of(), false))); // the archive's certificate, the CRL
        installCrl(reply);
        List<X509Certificate> recipients = List.of(credentials.require(CredentialRole.KEY_AGREEMENT).certificate(),
                Certificates.parse(reply.archiveCertificate().toByteArray()));
        try {
            Path main = dir.resolve(header.documentId() + ".p7m");
            if (Files.size(content) <= CmsSealer.DEFAULT_INLINE_LIMIT) {
                Files.write(main, sealer.seal(header, Files.readAllBytes(content), recipients).encoded());
                return new Kept(header.documentId(), main, List.of());
            }
            Path work = Files.createTempDirectory(dir, ".seal-");
            try {
                SealedParts sealed = sealer.sealParts(header, content, recipients, work);
                Files.write(main, sealed.main().encoded());
                List<Path> parts = new ArrayList<>();
                for (int i = 0; i < sealed.partFiles().size(); i++) {
                    parts.add(Files.move(sealed.partFiles().get(i), dir.resolve(header.documentId() + ".part-" + i + ".p7m")));
                }
                return new Kept(header.documentId(), main, parts);
            } finally {
                LocalStore.deleteTree(work);
            }
        } catch (CryptoException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, ErrorCode.of(e.error()), "cannot seal: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot write the sealed document into " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    /** The sources, reporting to the upload listener how far the upload got. */
    private List<StreamSource> counted(List<StreamSource> sources) {
        UploadListener listener = onUpload;
        long total = sources.stream().mapToLong(StreamSource::size).sum();
        listener.started(total);
        long[] ends = new long[sources.size()];
        List<StreamSource> out = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            StreamSource s = sources.get(i);
            int index = i;
            out.add(new StreamSource() {
                @Override
                public long size() {
                    return s.size();
                }

                @Override
                public ByteString read(long offset, int length) {
                    ByteString b = s.read(offset, length);
                    long sum;
                    synchronized (ends) {
                        ends[index] = Math.max(ends[index], offset + b.size());
                        sum = java.util.Arrays.stream(ends).sum();
                    }
                    listener.progress(sum);
                    return b;
                }

                @Override
                public dev.pouch.crypto.seal.Sha256 sha256() {
                    return s.sha256();
                }
            });
        }
        return out;
    }

    /** Seals a large document as parts, kept in the store's outbox. */
    private List<Path> sendLarge(DocumentHeader header, List<Path> files, List<X509Certificate> recipients) {
        Path work;
        try {
            work = Files.createTempDirectory("pouch-send");
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "no room for a temporary folder", e);
        }
        try {
            Path content = work.resolve("content");
            try (OutputStream out = Files.newOutputStream(content)) {
                for (Path f : files) {
                    Files.copy(f, out);
                }
            }
            SealedParts sealed = sealer.sealParts(header, content, recipients, work);
            return store.keepSealed(header.documentId(), sealed.main().encoded(), sealed.partFiles());
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot prepare the document: " + e.getMessage(), e);
        } finally {
            LocalStore.deleteTree(work);
        }
    }

    /** Uploads the main object and parts on stable stream ids and submits, again after a break, until answered. */
    private SubmitAck submit(UUID id, List<StreamSource> objects, java.util.Optional<Submit.Batch> batch) {
        String main = "up/" + id + "/main";
        List<String> parts = new ArrayList<>();
        for (int i = 1; i < objects.size(); i++) {
            parts.add("up/" + id + "/part-" + (i - 1));
        }
        ClientException last = null;
        for (int attempt = 0; attempt < MAX_RESUBMISSIONS; attempt++) {
            try {
                await(connection.sendStream(main, objects.getFirst()));
                for (int i = 0; i < parts.size(); i++) {
                    await(connection.sendStream(parts.get(i), objects.get(i + 1)));
                }
                return (SubmitAck) await(connection.request(new Submit(id, main, parts, batch)));
            } catch (ClientException e) {
                // An upload completed but whose Submit failed is found complete again and not resent;
                // one the server discarded (a refused submission) starts afresh.
                if (!e.retryable()) {
                    throw e;
                }
                last = e;
                log.debug("submission of {} interrupted ({}); trying again", id, e.getMessage());
            }
        }
        throw last;
    }

    /** The directory entries of the named organizations and regions; unknown organizations are refused here. */
    private Map<String, DirectoryReply.Entry> resolve(List<String> actionRecipients, List<String> informationRecipients) {
        Set<String> codes = new LinkedHashSet<>();
        Set<String> regions = new LinkedHashSet<>();
        boolean all = false;
        for (String r : concatLists(actionRecipients, informationRecipients)) {
            if (r.strip().equalsIgnoreCase(ALL_OFFICES)) {
                all = true;
            } else if (r.regionMatches(true, 0, "region:", 0, 7)) {
                regions.add(r.substring(7).trim().toUpperCase(java.util.Locale.ROOT));
            } else if (!OrgCode.isValid(r)) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, "'" + r + "' is not an organization code (like FR-EMB),"
                        + " a region (like region:EUROPE) or all (every overseas office)");
            } else {
                codes.add(r);
            }
        }
        DirectoryReply reply;
        try {
            reply = (DirectoryReply) await(connection.request(new DirectoryQuery(List.copyOf(codes), List.copyOf(regions), all)));
        } catch (ClientException e) {
            if (e.code().orElse(null) == ErrorCode.UNKNOWN_RECIPIENT) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, ErrorCode.UNKNOWN_RECIPIENT, e.getMessage(), e);
            }
            throw e;
        }
        installCrl(reply);
        archiveCertificate = Certificates.parse(reply.archiveCertificate().toByteArray());
        Map<String, DirectoryReply.Entry> entries = new java.util.HashMap<>();
        reply.entries().forEach(e -> entries.put(e.code(), e));
        for (String c : codes) {
            if (!entries.containsKey(c)) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, c + " is not an organization of this exchange");
            }
        }
        return entries;
    }

    private static boolean namesAll(List<String> recipients) {
        return recipients.stream().anyMatch(r -> r.strip().equalsIgnoreCase(ALL_OFFICES));
    }

    private static List<OrgCode> expand(List<String> recipients, Map<String, DirectoryReply.Entry> directory) {
        Set<OrgCode> out = new LinkedHashSet<>();
        for (String r : recipients) {
            if (r.strip().equalsIgnoreCase(ALL_OFFICES)) {
                directory.values().stream().filter(e -> e.kind().equals("OVERSEAS_OFFICE")).map(e -> OrgCode.of(e.code()))
                        .sorted(java.util.Comparator.comparing(OrgCode::value)).forEach(out::add);
            } else if (r.regionMatches(true, 0, "region:", 0, 7)) {
                String region = r.substring(7).trim();
                directory.values().stream().filter(e -> e.region().equalsIgnoreCase(region)).map(e -> OrgCode.of(e.code()))
                        .sorted(java.util.Comparator.comparing(OrgCode::value)).forEach(out::add);
            } else {
                out.add(OrgCode.of(r));
            }
        }
        return List.copyOf(out);
    }

    private static X509Certificate keyAgreementCertificate(DirectoryReply.Entry e) {
        if (e.keyAgreementCertificate().isEmpty()) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, e.code() + " has no encryption certificate yet;"
                    + " it cannot receive documents until an administrator enrols it");
        }
        return Certificates.parse(e.keyAgreementCertificate().toByteArray());
    }

    /**
     * Keeps the exchange's current CRL (which it sends on every connection) in the store as
     * {@code exchange-crl.pem}, for checking documents and receipts offline ({@code pouch open}).
     */
    private void keepCrl() {
        for (X509Certificate anchor : trust.anchors()) {
            trust.crlFor(anchor.getSubjectX500Principal()).filter(crl -> !crl.equals(keptCrl)).ifPresent(crl -> {
                try {
                    Path file = store.root().resolve("exchange-crl.pem");
                    Path tmp = store.root().resolve(".exchange-crl.pem.tmp");
                    Files.writeString(tmp, dev.pouch.crypto.pki.Pem.crl(crl));
                    Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    keptCrl = crl; // written once per CRL, not on every send
                } catch (IOException e) {
                    log.debug("could not keep the exchange's CRL: {}", e.toString());
                }
            });
        }
    }

    private void installCrl(DirectoryReply reply) {
        if (!reply.crl().isEmpty()) {
            try {
                trust.update((java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                        .generateCRL(new java.io.ByteArrayInputStream(reply.crl().toByteArray())));
                keepCrl();
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                log.warn("the exchange's CRL could not be installed: {}", e.toString());
            }
        }
    }

    // --- asking

    public StatusReply status(UUID id) {
        return (StatusReply) await(connection.request(new StatusQuery(id)));
    }

    /**
     * Searches the shared archive (what this person may see). Exchanges without the archive's
     * search answer {@code NOT_AVAILABLE}.
     */
    public dev.pouch.protocol.message.SearchResults search(dev.pouch.protocol.message.SearchQuery query) {
        return (dev.pouch.protocol.message.SearchResults) await(connection.request(query));
    }

    /** Records that a person of this organization signed for (签收) a received document. */
    public void signFor(UUID id, String note) {
        await(connection.request(new SignFor(id, note == null ? "" : note)));
    }

    /** Waits until the document is in the local store (delivered, opened, verified, stored). */
    public LocalStore.Entry awaitDocument(UUID id, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            var e = store.get(id);
            if (e.isPresent()) {
                return e.get();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new ClientException(ClientException.Kind.UNREACHABLE, id + " did not arrive within " + within);
    }

    // --- receiving

    /** A document fetched from the exchange: opened, verified, written out with its sealed original. */
    public record Fetched(DocumentHeader header, String signer, Path folder, List<Path> files, Path sealed, List<Path> sealedParts) {
    }

    /**
     * Fetches a document this organization received (or may read) from the exchange, opens and
     * verifies it, and writes its files into {@code dir} with the sealed original beside them
     * ({@code document.p7m}, parts as {@code document.part-N.p7m}). Files already in {@code dir}
     * are not overwritten: the fetch is refused instead.
     */
    public Fetched fetch(UUID id, Path dir) {
        Session session = session();
        Path work = store.scratch("fetch");
        List<String> streamIds = new ArrayList<>();
        try {
            Path main = receiver.download(session, new Fetch(id, -1, 0), streamIds);
            OpenedDocument opened = openMain(id, main, session);
            List<Path> parts = new ArrayList<>();
            if (opened.isParted()) {
                int count = opened.manifest().orElseThrow().parts().size();
                for (int i = 0; i < count; i++) {
                    parts.add(receiver.download(session, new Fetch(id, i, 0), streamIds));
                }
            }
            Path content = work.resolve("content");
            writeContent(opened, parts, content);
            List<String> names = LocalStore.attachmentNames(opened.header());
            List<Path> targets = new ArrayList<>();
            for (String n : names) {
                targets.add(dir.resolve(n));
            }
            targets.add(dir.resolve("document.p7m"));
            for (int i = 0; i < parts.size(); i++) {
                targets.add(dir.resolve("document.part-" + i + ".p7m"));
            }
            for (Path t : targets) {
                if (Files.exists(t)) {
                    throw new ClientException(ClientException.Kind.INVALID_INPUT, dir + " already holds " + t.getFileName()
                            + "; fetch into an empty folder");
                }
            }
            Files.createDirectories(dir);
            LocalStore.splitAttachments(opened.header(), content, dir, names);
            Files.copy(main, dir.resolve("document.p7m"));
            List<Path> sealedParts = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                sealedParts.add(Files.copy(parts.get(i), dir.resolve("document.part-" + i + ".p7m")));
            }
            return new Fetched(opened.header(), opened.signer().certificate().getSubjectX500Principal().getName(), dir,
                    names.stream().map(dir::resolve).toList(), dir.resolve("document.p7m"), sealedParts);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot write into " + dir + ": " + e.getMessage(), e);
        } finally {
            streamIds.forEach(sid -> receiver.streams.remove(session.peer(), sid));
            LocalStore.deleteTree(work);
        }
    }

    /** Opens and verifies a sealed main object; refuses one sealed under another id. */
    private OpenedDocument openMain(UUID id, Path main, Session session) {
        OpenedDocument opened;
        try {
            opened = opener.open(Files.readAllBytes(main), ValidationTime.now());
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.LOCAL_STORE, "cannot read " + main, e);
        } catch (CryptoException e) {
            if (e.error() == dev.pouch.crypto.CryptoError.NOT_A_RECIPIENT || e.error() == dev.pouch.crypto.CryptoError.OPENER_NOT_ADDRESSED) {
                throw new ClientException(ClientException.Kind.VERIFICATION, ErrorCode.of(e.error()), organization
                        + " cannot open " + id + ": it is sealed for its recipients and the archive only"
                        + store.sealed(id).map(f -> " (the copy this office sealed is " + f.getFirst() + ")").orElse(""), e);
            }
            throw new ClientException(ClientException.Kind.VERIFICATION, ErrorCode.of(e.error()), "document " + id
                    + " does not verify: " + e.getMessage(), e);
        }
        if (!opened.header().documentId().equals(id)) {
            throw new ClientException(ClientException.Kind.VERIFICATION, ErrorCode.CRYPTO_HEADER_INVALID, "delivered as " + id
                    + " but sealed as " + opened.header().documentId(), null);
        }
        return opened;
    }

    /** The attachments' bytes, concatenated, into {@code content}: opened from the main object or from the parts. */
    private void writeContent(OpenedDocument opened, List<Path> parts, Path content) throws IOException {
        if (opened.isParted()) {
            opener.openParts(opened, parts, content);
        } else {
            try (OutputStream out = Files.newOutputStream(content)) {
                out.write(opened.contentBytes());
            }
        }
    }

    /**
     * Uploads a signed receipt, again after a dropped connection or a retryable refusal, and keeps
     * it beside the document once the exchange accepted it. One that is still refused stays
     * missing from the store, and {@link #sendPendingReceipts} sends it again later.
     */
    private void uploadReceipt(UUID id, byte[] receipt) {
        connection.retrying(s -> s.request(new ReceiptUpload(id, ByteString.copyFrom(receipt))), 0).whenComplete((ack, e) -> {
            if (e == null) {
                store.putReceipt(id, receipt);
            } else {
                log.warn("the receipt for {} was not accepted: {}", id, e.toString());
            }
        });
    }

    /**
     * Signs and uploads the receipt of every stored document that has none yet (one whose receipt
     * was refused or lost with the connection); returns how many were sent. The office agent calls
     * it on each connection.
     */
    public int sendPendingReceipts() {
        int sent = 0;
        for (LocalStore.Entry e : store.list()) {
            if (store.hasReceipt(e.id())) {
                continue;
            }
            try {
                OpenedDocument opened = opener.open(Files.readAllBytes(e.folder().resolve("document.p7m")), ValidationTime.now());
                uploadReceipt(e.id(), receipts.sign(opened.originalSignature()).encoded());
                sent++;
            } catch (IOException | RuntimeException x) {
                log.warn("cannot send the receipt for {} again: {}", e.id(), x.toString());
            }
        }
        return sent;
    }

    private Session session() {
        try {
            return connection.awaitSession(timeout);
        } catch (RuntimeException e) {
            throw new ClientException(ClientException.Kind.UNREACHABLE, "cannot reach the exchange: " + e.getMessage(), e);
        }
    }

    private record PendingDelivery(Session session, Framed request, Deliver deliver) {
    }

    /**
     * Takes deliveries: open, verify, store, acknowledge, receipt. Streams are kept on disk (in the
     * store's transfer folder), so a large document costs no memory and a broken transfer resumes.
     */
    private final class Receiver implements ExchangeHandler {
        private final DiskStreamStore streams = new DiskStreamStore(store.transfers(), Limits.defaults().maxStreamBytes());
        private final Map<String, PendingDelivery> pending = new ConcurrentHashMap<>();
        private final Map<String, CompletableFuture<Path>> fetches = new ConcurrentHashMap<>();

        @Override
        public StreamStore streamStore() {
            return streams;
        }

        @Override
        public void handle(Session session, Framed request) {
            if (request.message() instanceof Notice n) {
                blocking.execute(() -> {
                    try {
                        boolean fresh = store.putNotice(n);
                        session.reply(request, new NoticeAck(n.noticeId()));
                        if (fresh) {
                            onNotice.accept(n);
                        }
                    } catch (RuntimeException e) {
                        log.warn("cannot keep notice {}: {}", n.noticeId(), e.toString());
                        session.replyFailure(request, new ProtocolException(ErrorCode.BUSY, "cannot store the notice now"));
                    }
                });
                return;
            }
            if (!(request.message() instanceof Deliver d)) {
                session.replyFailure(request, new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, "a client takes deliveries only"));
                return;
            }
            if (store.contains(d.documentId())) {
                blocking.execute(() -> acknowledge(session, request, d.documentId()));
                return;
            }
            pending.put(d.mainStreamId(), new PendingDelivery(session, request, d));
            if (streams.isComplete(session.peer(), d.mainStreamId())) {
                streamComplete(session, d.mainStreamId());
            }
        }

        @Override
        public void streamComplete(Session session, String streamId) {
            CompletableFuture<Path> fetch = fetches.remove(streamId);
            if (fetch != null) {
                streams.completed(session.peer(), streamId).ifPresent(fetch::complete);
                return;
            }
            PendingDelivery p = pending.remove(streamId);
            if (p != null) {
                blocking.execute(() -> accept(p));
            } else if (store.contains(documentOf(streamId))) {
                streams.remove(session.peer(), streamId); // a repeated delivery of a document already stored
            }
        }

        /** The exchange gave up sending a delivery's document or a fetched part: the delivery is refused now, to come again. */
        @Override
        public void streamFailed(Session session, String streamId, ProtocolException why) {
            CompletableFuture<Path> fetch = fetches.remove(streamId);
            if (fetch != null) {
                fetch.completeExceptionally(why);
                return;
            }
            PendingDelivery p = pending.remove(streamId);
            if (p != null) {
                log.info("{}: the exchange aborted the stream of {} ({}); it will deliver it again", organization,
                        p.deliver().documentId(), why.getMessage());
                session.replyFailure(p.request(), new ProtocolException(ErrorCode.STREAM_ABORTED,
                        "the document's stream was aborted: " + why.detail()));
            }
        }

        private static UUID documentOf(String streamId) {
            try {
                return UUID.fromString(streamId.substring(0, Math.min(36, streamId.length())));
            } catch (IllegalArgumentException e) {
                return new UUID(0, 0);
            }
        }

        private void accept(PendingDelivery p) {
            UUID id = p.deliver().documentId();
            List<String> streamIds = new ArrayList<>(List.of(p.deliver().mainStreamId()));
            Path work = null;
            try {
                Path main = streams.completed(p.session().peer(), p.deliver().mainStreamId()).orElseThrow();
                OpenedDocument opened = openMain(id, main, p.session());
                List<Path> parts = new ArrayList<>();
                for (var part : p.deliver().parts()) {
                    parts.add(download(p.session(), new Fetch(id, part.index(), 0), streamIds));
                }
                work = store.scratch("receive");
                Path content = work.resolve("content");
                writeContent(opened, parts, content);
                boolean fresh = store.put(opened, main, parts, content, Instant.now());
                acknowledge(p.session(), p.request(), id);
                streamIds.forEach(sid -> streams.remove(p.session().peer(), sid));
                if (fresh) {
                    store.get(id).ifPresent(e -> onArrival.accept(e));
                    uploadReceipt(id, receipts.sign(opened.originalSignature()).encoded());
                }
            } catch (ClientException e) {
                ProtocolException refusal = e.kind() == ClientException.Kind.VERIFICATION
                        ? new ProtocolException(e.code().orElse(ErrorCode.CRYPTO_SIGNATURE_INVALID), e.getMessage())
                        : new ProtocolException(ErrorCode.BUSY, "the client could not take the document: " + e.getMessage());
                log.warn("{} refused delivery of {}: {}", organization, id, e.getMessage());
                if (e.kind() == ClientException.Kind.VERIFICATION) {
                    streamIds.forEach(sid -> streams.remove(p.session().peer(), sid));
                }
                p.session().replyFailure(p.request(), refusal);
            } catch (CryptoException e) {
                log.warn("{} refused delivery of {}: a part does not verify ({})", organization, id, e.getMessage());
                streamIds.forEach(sid -> streams.remove(p.session().peer(), sid));
                p.session().replyFailure(p.request(), new ProtocolException(ErrorCode.of(e.error()), e.detail()));
            } catch (IOException | RuntimeException e) {
                log.warn("{} could not take {}: {}", organization, id, e.toString());
                p.session().replyFailure(p.request(), e instanceof ProtocolException pe ? pe
                        : new ProtocolException(ErrorCode.BUSY, "the client could not store the document: " + e.getMessage()));
            } finally {
                if (work != null) {
                    LocalStore.deleteTree(work);
                }
            }
        }

        private void acknowledge(Session session, Framed request, UUID id) {
            session.reply(request, new DeliverAck(id));
        }

        /** Asks the exchange to stream a sealed object (main or part) and waits until it is on disk and checked. */
        Path download(Session session, Fetch fetch, List<String> streamIds) {
            Message begin = ExchangeClient.this.await(session.request(fetch));
            if (!(begin instanceof dev.pouch.protocol.message.StreamBegin b)) {
                throw new ClientException(ClientException.Kind.REFUSED, ErrorCode.UNEXPECTED_MESSAGE,
                        "the exchange answered a fetch with " + begin.getClass().getSimpleName(), null);
            }
            streamIds.add(b.streamId());
            CompletableFuture<Path> done = fetches.computeIfAbsent(b.streamId(), k -> new CompletableFuture<>());
            streams.completed(session.peer(), b.streamId()).ifPresent(done::complete);
            try {
                return ExchangeClient.this.await(done);
            } finally {
                fetches.remove(b.streamId(), done);
            }
        }
    }

    // --- plumbing

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw translate(e.getCause());
        } catch (TimeoutException e) {
            throw new ClientException(ClientException.Kind.UNREACHABLE, "no answer from the exchange within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientException(ClientException.Kind.UNREACHABLE, "interrupted", e);
        }
    }

    private static ClientException translate(Throwable cause) {
        if (cause instanceof ClientException c) {
            return c;
        }
        if (cause instanceof RemoteFailureException r) {
            return new ClientException(ClientException.Kind.REFUSED, r.code(), r.detail(), r);
        }
        if (cause instanceof ConnectionClosedException) {
            return new ClientException(ClientException.Kind.UNREACHABLE, "the connection to the exchange was lost", cause);
        }
        if (cause instanceof ProtocolException p) {
            return new ClientException(p.code() == ErrorCode.TIMEOUT ? ClientException.Kind.UNREACHABLE : ClientException.Kind.REFUSED,
                    p.code(), p.detail(), p);
        }
        if (cause instanceof CryptoException c) {
            return new ClientException(ClientException.Kind.VERIFICATION, ErrorCode.of(c.error()), c.getMessage(), c);
        }
        return new ClientException(ClientException.Kind.UNREACHABLE, String.valueOf(cause), cause);
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            throw new ClientException(ClientException.Kind.INVALID_INPUT, "cannot read " + f, e);
        }
    }

    private static byte[] concat(List<Path> files, long total) {
        byte[] content = new byte[(int) total];
        int offset = 0;
        for (Path f : files) {
            try {
                byte[] b = Files.readAllBytes(f);
                System.arraycopy(b, 0, content, offset, b.length);
                offset += b.length;
            } catch (IOException | IndexOutOfBoundsException e) {
                throw new ClientException(ClientException.Kind.INVALID_INPUT, "cannot read " + f + " (did it change?)", e);
            }
        }
        return content;
    }

    private static <T> List<T> concatLists(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }


    @Override
    public void close() {
        connection.close();
        blocking.shutdown();
    }

    /** How to reach the exchange and as whom. */
    public static final class Builder {
        private Credentials credentials;
        private String host = "127.0.0.1";
        private int port = 7443;
        private Path storeDir;
        private Duration timeout = Duration.ofSeconds(60);
        private boolean takesDeliveries = true;

        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        public Builder credentials(Path p12, Password password) {
            return credentials(readCredentials(p12, password));
        }

        public Builder server(String host, int port) {
            this.host = host;
            this.port = port;
            return this;
        }

        /** Where received documents are kept (default {@code ~/.pouch/<ORG>}). */
        public Builder store(Path dir) {
            this.storeDir = dir;
            return this;
        }

        /** How long to wait for an answer (or a connection) before giving up. */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /**
         * Whether this connection takes the organization's deliveries (default yes). A one-off
         * command says no, so that documents go to the office's agent and its inbox folder.
         */
        public Builder takesDeliveries(boolean takes) {
            this.takesDeliveries = takes;
            return this;
        }

        public ExchangeClient build() {
            Objects.requireNonNull(credentials, "credentials");
            return new ExchangeClient(this);
        }
    }
}
