package dev.pouch.server.submission;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Certificates;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.IdentityKind;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Submit;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.server.archive.BlobStore;
import dev.pouch.server.batch.BatchService;
import dev.pouch.server.survey.SurveyService;
import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.archive.UploadStore;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.pki.ExchangePki;
import dev.pouch.server.routing.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Accepts a submitted document, or refuses it with a code and leaves nothing behind:
 * the TLS identity must be an active releaser of the sender organization; the archive copy is
 * opened (signature, chain, label, header); the classification must be within the accredited
 * ceiling; every recipient must exist; the document number must be new for the issuer and year;
 * every attachment's type is checked by its content and its text extracted. Then one transaction
 * stores it all with its routing rows and audit entry, the relay puts the broker messages durably
 * on their queues, and only then is the submission acknowledged. The document id is the
 * idempotency key: resubmitting returns the first answer and stores nothing new.
 */
@Service
public class SubmissionService {

    private final UploadStore uploads;
    private final BlobStore blobs;
    private final DocumentRepository documents;
    private final Directory directory;
    private final StaffRepository staff;
    private final AttachmentInspector inspector;
    private final OutboxRelay relay;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final PouchProperties properties;
    private final Clock clock;
    private final CmsOpener archive;
    private final MeterRegistry metrics;
    private final BatchService batches;
    private final SurveyService surveys;
    private final Timer acceptTimer;
    private final Timer storeTimer;

    public SubmissionService(UploadStore uploads, BlobStore blobs, DocumentRepository documents, Directory directory,
            StaffRepository staff, AttachmentInspector inspector, OutboxRelay relay, AuditLog audit, TransactionTemplate tx,
            JdbcTemplate jdbc, PouchProperties properties, Clock clock, ExchangePki pki, MeterRegistry metrics,
            BatchService batches, SurveyService surveys) {
        this.batches = batches;
        this.surveys = surveys;
        this.uploads = uploads;
        this.blobs = blobs;
        this.documents = documents;
        this.directory = directory;
        this.staff = staff;
        this.inspector = inspector;
        this.relay = relay;
        this.audit = audit;
        this.tx = tx;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
        this.acceptTimer = Timer.builder("pouch.submission.accept")
                .description("A new document from Submit to SubmitAck: open, checks, inspection, store, broker").register(metrics);
        this.storeTimer = Timer.builder("pouch.submission.store")
                .description("The PostgreSQL transaction that stores a new document with its routing rows").register(metrics);
        this.archive = CmsOpener.builder().recipient(pki.archive()).validator(pki.validator())
                .maxSealedSize(UploadStore.MAX_OBJECT).build();
    }

    /** Blocking: call it off the event loop. */
    public SubmitAck submit(Identity peer, Submit submit) {
        List<String> streams = new ArrayList<>(submit.partStreamIds());
        streams.addFirst(submit.mainStreamId());
        Timer.Sample sample = Timer.start();
        try {
            SubmitAck ack = accept(peer, submit, streams);
            if (!ack.duplicate()) {
                sample.stop(acceptTimer);
            }
            metrics.counter("pouch.submissions", "outcome", ack.duplicate() ? "duplicate" : "accepted").increment();
            return ack;
        } catch (ProtocolException e) {
            if (e.code() != ErrorCode.QUEUEING_DELAYED) {
                uploads.discard(peer, streams);
                tx.executeWithoutResult(s -> audit.record(peer.toString(), AuditLog.Action.SUBMISSION_REFUSED,
                        submit.documentId().toString(), AuditLog.Outcome.REFUSED, e.code().name() + ": " + e.detail()));
            }
            metrics.counter("pouch.submissions", "outcome", "refused", "code", e.code().name()).increment();
            throw e;
        }
    }

    private SubmitAck accept(Identity peer, Submit submit, List<String> streams) {
        Staff releaser = releaser(peer);
        UUID id = submit.documentId();

        var main = uploads.completed(peer, submit.mainStreamId());
        var existing = documents.mainDigest(id);
        if (existing.isPresent()) {
            return resubmission(peer, id, existing.get(), main, streams);
        }
        if (main.isEmpty()) {
            throw new ProtocolException(ErrorCode.UPLOAD_INCOMPLETE, "the main object " + submit.mainStreamId() + " is not uploaded");
        }
        List<BlobStore.Info> parts = new ArrayList<>();
        for (String partStream : submit.partStreamIds()) {
            var part = uploads.completed(peer, partStream).orElseThrow(() ->
                    new ProtocolException(ErrorCode.UPLOAD_INCOMPLETE, "part " + partStream + " is not uploaded"));
            parts.add(blobs.info(part.blobId()));
        }
        BlobStore.Info mainInfo = blobs.info(main.get().blobId());
        OpenedDocument opened = open(blobs.read(mainInfo.id()));
        DocumentHeader header = opened.header();
        if (!header.documentId().equals(id)) {
            throw new ProtocolException(ErrorCode.CRYPTO_HEADER_INVALID, "the sealed document carries another id");
        }
        if (!header.sender().equals(releaser.organization())) {
            throw new ProtocolException(ErrorCode.SENDER_MISMATCH,
                    "the document is from " + header.sender() + " but you sign in for " + releaser.organization());
        }
        if (!header.classification().isWithin(properties.ceiling())) {
            throw new ProtocolException(ErrorCode.CLASSIFICATION_ABOVE_CEILING, "the document is " + header.classification()
                    + " (" + header.classification().chineseName() + "); this exchange carries at most " + properties.ceiling());
        }
        if (header.isForSenderOnly()) {
            throw new ProtocolException(ErrorCode.INVALID_REQUEST, "the document is sealed for its sender "
                    + header.sender() + " alone: it is kept, not sent; seal it again for its recipients");
        }
        for (OrgCode r : header.allRecipients()) {
            if (!directory.exists(r)) {
                throw new ProtocolException(ErrorCode.UNKNOWN_RECIPIENT, r + " is not an organization of this exchange");
            }
        }
        Instant acceptedAt = clock.instant();
        int year = acceptedAt.atZone(ZoneOffset.ofHours(8)).getYear();
        if (documents.numberTaken(header.sender(), year, header.documentNumber())) {
            throw new ProtocolException(ErrorCode.DUPLICATE_DOCUMENT_NUMBER,
                    header.sender() + " already used " + header.documentNumber() + " in " + year);
        }
        if (opened.isParted() != !parts.isEmpty()
                || (opened.isParted() && opened.manifest().orElseThrow().partCount() != parts.size())) {
            throw new ProtocolException(ErrorCode.CRYPTO_PART_INVALID, "the submission names " + parts.size()
                    + " parts, the signed manifest " + opened.manifest().map(m -> m.partCount()).orElse(0));
        }
        submit.batch().ifPresent(b -> batches.check(header.sender(), b));
        SurveyService.Plan survey = surveys.check(header, acceptedAt);
        Inspected inspected = inspect(opened, parts);

        Timer.Sample store = Timer.start();
        try {
            tx.executeWithoutResult(status -> {
                documents.insert(header, peer.toString(), acceptedAt, opened.claimedSigningTime(),
                        Certificates.fingerprint(opened.signer().certificate()), mainInfo, parts, opened.originalSignature(),
                        inspected.types(), inspected.text(), inspected.truncated());
                submit.batch().ifPresent(b -> batches.record(id, header.sender(), b, acceptedAt));
                uploads.promote(peer, streams);
                jdbc.update("INSERT INTO outbox (document_id, organization, priority) SELECT ?, unnest(?::text[]), ?",
                        id, DocumentRepository.codes(header.allRecipients()), header.precedence().brokerPriority());
                header.inReplyTo().ifPresent(original -> documents.markReplied(original, header.sender(), id, acceptedAt));
                surveys.record(survey, id, peer.toString(), acceptedAt);
                audit.record(peer.toString(), AuditLog.Action.SUBMISSION_ACCEPTED, id.toString(), AuditLog.Outcome.OK,
                        header.documentNumber() + " " + header.type() + " " + header.classification() + " to "
                                + header.allRecipients().size() + " organizations");
            });
            store.stop(storeTimer);
        } catch (DuplicateKeyException e) {
            if (documents.mainDigest(id).isPresent()) {
                return resubmission(peer, id, documents.mainDigest(id).get(), main, streams); // a concurrent resubmission won
            }
            throw new ProtocolException(ErrorCode.DUPLICATE_DOCUMENT_NUMBER,
                    header.sender() + " already used " + header.documentNumber() + " in " + year);
        }
        if (!relay.sendNow(id)) {
            throw new ProtocolException(ErrorCode.QUEUEING_DELAYED, "stored, but the broker did not take the messages yet");
        }
        return new SubmitAck(id, acceptedAt, false);
    }

    /** The same document again: answer as the first time; a different one under the same id is refused. */
    private SubmitAck resubmission(Identity peer, UUID id, byte[] storedDigest, java.util.Optional<UploadStore.Upload> upload,
            List<String> streams) {
        if (upload.isPresent()) {
            boolean same = MessageDigest.isEqual(storedDigest, blobs.info(upload.get().blobId()).sha256().bytes());
            if (!same) {
                throw new ProtocolException(ErrorCode.DOCUMENT_ID_CONFLICT, "another document was submitted as " + id);
            }
            uploads.discard(peer, streams);
        }
        var stored = documents.find(id).orElseThrow();
        if (!stored.submittedBy().startsWith("urn:pouch:staff:" + stored.issuer().value() + ":")
                || !peer.organization().map(o -> o.equals(stored.issuer())).orElse(false)) {
            throw new ProtocolException(ErrorCode.DOCUMENT_ID_CONFLICT, "another organization submitted " + id);
        }
        if (!relay.sendNow(id)) {
            throw new ProtocolException(ErrorCode.QUEUEING_DELAYED, "stored, but the broker did not take the messages yet");
        }
        return new SubmitAck(id, stored.acceptedAt(), true);
    }

    private Staff releaser(Identity peer) {
        if (peer.kind() != IdentityKind.STAFF) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "only staff submit documents");
        }
        Staff s = staff.find(peer.requireOrganization(), peer.staffId().orElseThrow())
                .filter(Staff::active)
                .orElseThrow(() -> new ProtocolException(ErrorCode.UNKNOWN_STAFF, peer + " is not an active staff member"));
        if (!s.has(Role.RELEASER)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, peer + " may not release documents");
        }
        return s;
    }

    private OpenedDocument open(byte[] sealed) {
        try {
            return archive.open(sealed, ValidationTime.now());
        } catch (CryptoException e) {
            if (e.error() == CryptoError.NOT_A_RECIPIENT) {
                throw new ProtocolException(ErrorCode.NOT_SEALED_FOR_ARCHIVE, "the document is not encrypted for the archive");
            }
            throw new ProtocolException(ErrorCode.of(e.error()), e.detail(), null, e);
        }
    }

    private record Inspected(List<String> types, String text, boolean truncated) {
    }

    private Inspected inspect(OpenedDocument opened, List<BlobStore.Info> parts) {
        List<String> types = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        boolean truncated = false;
        long offset = 0;
        PartReader reader = opened.isParted() ? new PartReader(opened, parts, blobs, archive) : null;
        java.nio.ByteBuffer inline = reader == null ? opened.content().orElseThrow() : null;
        for (Attachment a : opened.header().attachments()) {
            long start = offset;
            AttachmentInspector.Result r = inspector.inspect(a, () -> reader != null ? reader.stream(start, a.size())
                    : new ByteBufferInputStream(inline.slice((int) start, (int) a.size())),
                    properties.inspection().maxTextCharacters() - text.length());
            types.add(r.detectedType());
            if (!r.text().isBlank()) {
                text.append(r.text()).append('\n');
            }
            truncated |= r.truncated();
            offset += a.size();
        }
        if (reader != null) {
            reader.verifyRemaining(); // every part is checked, whether inspection read it or not
        }
        return new Inspected(types, text.toString(), truncated);
    }
}
