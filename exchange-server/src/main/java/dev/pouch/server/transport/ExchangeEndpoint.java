package dev.pouch.server.transport;

import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.IdentityKind;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.DirectoryQuery;
import dev.pouch.protocol.message.Fetch;
import dev.pouch.protocol.message.Framed;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.ReceiptUpload;
import dev.pouch.protocol.message.SearchQuery;
import dev.pouch.protocol.message.SearchResults;
import dev.pouch.protocol.message.SignFor;
import dev.pouch.protocol.message.StatusQuery;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.stream.StreamStore;
import dev.pouch.protocol.transport.ExchangeHandler;
import dev.pouch.protocol.transport.ExchangeServerTransport;
import dev.pouch.protocol.transport.Limits;
import dev.pouch.protocol.transport.Session;
import dev.pouch.server.archive.BlobStore;
import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.archive.StoredDocument;
import dev.pouch.server.archive.UploadStore;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.delivery.DeliveryService;
import dev.pouch.server.delivery.RecipientService;
import dev.pouch.server.directory.DirectoryService;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.pki.ExchangePki;
import dev.pouch.server.search.SearchRequest;
import dev.pouch.server.search.SearchResult;
import dev.pouch.server.search.SearchService;
import dev.pouch.server.submission.SubmissionService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The exchange endpoint: binds the Netty transport (mutual TLS 1.3) and answers what clients ask.
 * Requests run on virtual threads, never on the event loop. Only active staff of the exchange are
 * admitted; their organization's documents are pushed to them while they are connected.
 */
@Component
public class ExchangeEndpoint implements ExchangeHandler, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExchangeEndpoint.class);

    private final PouchProperties properties;
    private final ExchangePki pki;
    private final UploadStore uploads;
    private final SubmissionService submissions;
    private final DeliveryService deliveries;
    private final RecipientService recipients;
    private final DirectoryService directory;
    private final StaffRepository staff;
    private final DocumentRepository documents;
    private final BlobStore blobs;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final ExecutorService executor;
    private final SearchService search;
    private volatile ExchangeServerTransport transport;

    public ExchangeEndpoint(PouchProperties properties, ExchangePki pki, UploadStore uploads, SubmissionService submissions,
            DeliveryService deliveries, RecipientService recipients, DirectoryService directory, StaffRepository staff,
            DocumentRepository documents, BlobStore blobs, AuditLog audit, TransactionTemplate tx, ExecutorService blockingExecutor,
            SearchService search) {
        this.properties = properties;
        this.pki = pki;
        this.uploads = uploads;
        this.submissions = submissions;
        this.deliveries = deliveries;
        this.recipients = recipients;
        this.directory = directory;
        this.staff = staff;
        this.documents = documents;
        this.blobs = blobs;
        this.audit = audit;
        this.tx = tx;
        this.executor = blockingExecutor;
        this.search = search;
    }

    @Override
    public StreamStore streamStore() {
        return uploads;
    }

    @Override
    public void connected(Session session) {
        executor.execute(() -> {
            Identity peer = session.peer();
            Optional<Staff> member = peer.kind() == IdentityKind.STAFF
                    ? staff.find(peer.requireOrganization(), peer.staffId().orElseThrow()).filter(Staff::active)
                    : Optional.empty();
            if (member.isEmpty()) {
                tx.executeWithoutResult(s -> audit.record(peer.toString(), AuditLog.Action.LOGIN_REFUSED, "",
                        AuditLog.Outcome.REFUSED, "not an active staff member"));
                session.close(ErrorCode.UNKNOWN_STAFF, peer + " is not an active staff member of this exchange");
                return;
            }
            tx.executeWithoutResult(s -> audit.record(peer.toString(), AuditLog.Action.LOGIN, "", AuditLog.Outcome.OK,
                    String.valueOf(session.channel().remoteAddress())));
            if (member.get().has(Role.READER) && session.takesDeliveries()) {
                deliveries.connected(session, member.get().organization());
            }
        });
    }

    @Override
    public void disconnected(Session session) {
        session.peer().organization().ifPresent(org -> deliveries.disconnected(session, org));
    }

    @Override
    public void handle(Session session, Framed request) {
        Identity peer = session.peer();
        switch (request.message()) {
            case Submit s -> answer(session, request, () -> submissions.submit(peer, s));
            case DirectoryQuery q -> answer(session, request, () -> {
                tx.executeWithoutResult(t -> audit.record(peer.toString(), AuditLog.Action.DIRECTORY_READ, "", AuditLog.Outcome.OK, ""));
                return directory.answer(q);
            });
            case StatusQuery q -> answer(session, request, () -> recipients.status(peer, q.documentId()));
            case ReceiptUpload r -> answer(session, request, () -> recipients.receipt(peer, r.documentId(), r.receipt().toByteArray()));
            case SignFor s -> answer(session, request, () -> recipients.signFor(peer, s.documentId(), s.note()));
            case Fetch f -> executor.execute(() -> fetch(session, request, f));
            case SearchQuery q -> answer(session, request, () -> search(peer, q));
            default -> session.replyFailure(request, new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE,
                    request.message().getClass().getSimpleName() + " is not a request the exchange takes"));
        }
    }

    /** A search of the shared archive by the staff member signed in, answered like the REST search. */
    private SearchResults search(Identity peer, SearchQuery q) {
        Staff member = staff.find(peer.requireOrganization(), peer.staffId().orElseThrow()).filter(Staff::active)
                .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_STAFF, peer + " is not an active staff member"));
        SearchRequest request;
        try {
            request = SearchRequest.of(q);
        } catch (ProtocolException e) {
            throw search.refused(member, q.toString(), e);
        }
        SearchResult r = search.search(member, request);
        return new SearchResults(r.total(), r.hits().stream().map(h -> new SearchResults.Hit(h.documentId(), h.number(), h.type(),
                h.subject(), h.sender(), h.acceptedAt(), h.classification(), h.snippet())).toList(),
                r.facets().stream().map(f -> new SearchResults.Facet(f.field(), f.counts().stream()
                        .map(c -> new SearchResults.Count(c.value(), c.count())).toList())).toList());
    }

    /** Runs {@code work} on a virtual thread and replies with its result or its refusal. */
    private void answer(Session session, Framed request, java.util.concurrent.Callable<Message> work) {
        executor.execute(() -> {
            try {
                session.reply(request, work.call());
            } catch (ProtocolException e) {
                session.replyFailure(request, e);
            } catch (CryptoException e) {
                session.replyFailure(request, new ProtocolException(ErrorCode.of(e.error()), e.detail()));
            } catch (Exception e) {
                log.warn("{} from {} failed", request.message().getClass().getSimpleName(), session.peer(), e);
                session.replyFailure(request, new ProtocolException(ErrorCode.INTERNAL_ERROR, "internal error"));
            }
        });
    }

    /** Streams a sealed object (main or part) of a document the peer's organization sent or received. */
    private void fetch(Session session, Framed request, Fetch fetch) {
        try {
            StoredDocument d = recipients.visible(session.peer(), fetch.documentId());
            Function<Integer, java.util.UUID> partBlob = i -> documents.parts(d.id()).get(i).id();
            if (fetch.partIndex() >= d.partCount()) {
                throw new ProtocolException(ErrorCode.NOT_FOUND, "document " + d.id() + " has no part " + fetch.partIndex());
            }
            String streamId = fetch.partIndex() < 0 ? DeliveryService.mainStreamId(d.id())
                    : DeliveryService.partStreamId(d.id(), fetch.partIndex());
            var source = blobs.source(fetch.partIndex() < 0 ? d.mainBlob() : partBlob.apply(fetch.partIndex()));
            tx.executeWithoutResult(t -> audit.record(session.peer().toString(), AuditLog.Action.READ, d.id().toString(),
                    AuditLog.Outcome.OK, streamId));
            session.sendStream(streamId, StreamPurpose.DOWNLOAD, source, request.requestId());
        } catch (ProtocolException e) {
            session.replyFailure(request, e);
        }
    }

    /** The port the endpoint listens on (useful when configured as 0). */
    public int port() {
        return transport.address().getPort();
    }

    @Override
    public void start() {
        PouchProperties.Exchange config = properties.exchange();
        Limits limits = Limits.defaults();
        transport = ExchangeServerTransport.start(new ExchangeServerTransport.Config(config.host(), config.port(), pki.nodeTls(),
                pki.validator(), limits, this, executor, config.ioThreads(), config.maxConnections(), "pouch-exchange/0.1",
                config.tlsEngine()));
        log.info("Exchange endpoint listening on {}:{} (mutual TLS 1.3)", config.host(), port());
    }

    @Override
    public void stop() {
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }

    @Override
    public boolean isRunning() {
        return transport != null;
    }
}
