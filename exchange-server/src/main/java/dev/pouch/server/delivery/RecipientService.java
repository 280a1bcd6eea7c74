package dev.pouch.server.delivery;

import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.receipt.EssReceipts;
import dev.pouch.crypto.receipt.ReceiptVerifier;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.ReceiptAck;
import dev.pouch.protocol.message.RecipientStatus;
import dev.pouch.protocol.message.StatusReply;
import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.archive.RecipientState;
import dev.pouch.server.archive.StoredDocument;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.pki.ExchangePki;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What recipients do with a delivered document — return a signed receipt, sign for it — and who
 * may see each recipient's state: the sender and the recipients, nobody else.
 */
@Service
public class RecipientService {

    private final DocumentRepository documents;
    private final ReceiptVerifier receipts;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    public RecipientService(DocumentRepository documents, ExchangePki pki, AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.documents = documents;
        this.receipts = EssReceipts.verifier(pki.validator());
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Verifies a recipient's ESS receipt against the original signature and stores it. */
    public ReceiptAck receipt(Identity peer, UUID documentId, byte[] receipt) {
        OrgCode org = recipientOrganization(peer, documentId);
        var original = documents.originalSignature(documentId).orElseThrow();
        try {
            var verified = receipts.verify(receipt, original, ValidationTime.now());
            if (!verified.recipient().equals(org)) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "the receipt is signed by " + verified.recipient() + ", not " + org);
            }
        } catch (CryptoException e) {
            tx.executeWithoutResult(s -> audit.record(peer.toString(), AuditLog.Action.RECEIPT_REFUSED, documentId.toString(),
                    AuditLog.Outcome.REFUSED, e.getMessage()));
            throw new ProtocolException(ErrorCode.of(e.error()), e.detail(), null, e);
        }
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            documents.storeReceipt(documentId, org, receipt, now);
            audit.record(peer.toString(), AuditLog.Action.RECEIPT, documentId.toString(), AuditLog.Outcome.OK, org.value());
        });
        return new ReceiptAck(documentId);
    }

    /** A person of a recipient organization signs for (签收) the document. */
    public ReceiptAck signFor(Identity peer, UUID documentId, String note) {
        OrgCode org = recipientOrganization(peer, documentId);
        String by = peer.staffId().orElseThrow(() -> new ProtocolException(ErrorCode.FORBIDDEN, "only a person signs for a document"));
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            documents.signFor(documentId, org, by, note, now);
            audit.record(peer.toString(), AuditLog.Action.SIGNED_FOR, documentId.toString(), AuditLog.Outcome.OK, org.value());
        });
        return new ReceiptAck(documentId);
    }

    /** Each recipient's state, for the sender or a recipient. */
    public StatusReply status(Identity peer, UUID documentId) {
        StoredDocument d = visible(peer, documentId);
        List<RecipientStatus> states = documents.recipients(d.id()).stream()
                .map(r -> new RecipientStatus(r.organization().value(), r.state().name(), r.updatedAt(), r.signedForBy().orElse("")))
                .toList();
        tx.executeWithoutResult(s -> audit.record(peer.toString(), AuditLog.Action.STATUS_READ, documentId.toString(),
                AuditLog.Outcome.OK, ""));
        return new StatusReply(documentId, states);
    }

    /** The document, if {@code peer}'s organization sent or received it; otherwise NOT_FOUND (never "forbidden": ids do not leak). */
    public StoredDocument visible(Identity peer, UUID documentId) {
        OrgCode org = peer.organization().orElseThrow(() -> new ProtocolException(ErrorCode.FORBIDDEN, "no organization"));
        StoredDocument d = documents.find(documentId)
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no document " + documentId));
        if (!d.issuer().equals(org) && documents.recipient(documentId, org).isEmpty()) {
            throw new ProtocolException(ErrorCode.NOT_FOUND, "no document " + documentId);
        }
        return d;
    }

    private OrgCode recipientOrganization(Identity peer, UUID documentId) {
        OrgCode org = peer.organization().orElseThrow(() -> new ProtocolException(ErrorCode.FORBIDDEN, "no organization"));
        RecipientState r = documents.recipient(documentId, org)
                .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no document " + documentId + " for " + org));
        return r.organization();
    }
}
