package dev.pouch.server.archive;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.document.SharingScope;
import dev.pouch.crypto.receipt.OriginalSignature;
import dev.pouch.server.search.SearchIndex;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Documents, their parts, attachments, extracted text and recipients, in PostgreSQL. */
@Repository
public class DocumentRepository {

    private static final RowMapper<StoredDocument> DOCUMENT = (rs, i) -> new StoredDocument(
            rs.getObject("id", UUID.class), rs.getString("number"), OrgCode.of(rs.getString("issuer")),
            DocumentType.valueOf(rs.getString("type")), rs.getString("subject"), Classification.valueOf(rs.getString("classification")),
            Precedence.valueOf(rs.getString("precedence")), SharingScope.valueOf(rs.getString("sharing_scope")),
            Optional.ofNullable(rs.getObject("in_reply_to", UUID.class)), instant(rs, "deadline"),
            rs.getString("submitted_by"), rs.getTimestamp("accepted_at").toInstant(), rs.getObject("main_blob", UUID.class),
            rs.getLong("main_size"), rs.getInt("part_count"));

    private static final RowMapper<RecipientState> RECIPIENT = (rs, i) -> new RecipientState(
            OrgCode.of(rs.getString("organization")), rs.getString("role"), RecipientState.State.valueOf(rs.getString("state")),
            rs.getTimestamp("queued_at").toInstant(), instant(rs, "delivered_at"), instant(rs, "receipt_at"),
            instant(rs, "signed_for_at"), Optional.ofNullable(rs.getString("signed_for_by")), instant(rs, "replied_at"));

    private final JdbcTemplate jdbc;
    private final SearchIndex searchIndex;

    public DocumentRepository(JdbcTemplate jdbc, SearchIndex searchIndex) {
        this.jdbc = jdbc;
        this.searchIndex = searchIndex;
    }

    public Optional<StoredDocument> find(UUID id) {
        return jdbc.query("SELECT d.*, b.size AS main_size FROM document d JOIN blob b ON b.id = d.main_blob WHERE d.id = ?",
                DOCUMENT, id).stream().findFirst();
    }

    /** The sealed main object's digest, to tell a resubmission from a different document with the same id. */
    public Optional<byte[]> mainDigest(UUID id) {
        return jdbc.query("SELECT main_sha256 FROM document WHERE id = ?", (rs, i) -> rs.getBytes(1), id).stream().findFirst();
    }

    public boolean numberTaken(OrgCode issuer, int year, String number) {
        return Boolean.TRUE.equals(jdbc.query("SELECT 1 FROM document WHERE issuer = ? AND year = ? AND number = ?",
                ResultSet::next, issuer.value(), year, number));
    }

    /** Stores a verified document with everything that belongs to it. Runs inside the caller's transaction. */
    public void insert(DocumentHeader h, String submittedBy, Instant acceptedAt, Instant claimedSigningTime, String signerFingerprint,
            BlobStore.Info main, List<BlobStore.Info> parts, OriginalSignature original, List<String> detectedTypes,
            String text, boolean textTruncated) {
        int year = acceptedAt.atZone(ZoneOffset.ofHours(8)).getYear(); // 文号 years follow Beijing time
        jdbc.update("""
                INSERT INTO document (id, number, issuer, year, type, subject, classification, precedence, sharing_scope,
                    in_reply_to, deadline, submitted_by, accepted_at, claimed_signing_time, signer_fingerprint, main_blob,
                    main_sha256, content_size, part_count, content_type_oid, signed_content_identifier, signature_value,
                    signed_attributes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                h.documentId(), h.documentNumber(), h.sender().value(), year, h.type().name(), h.subject(),
                h.classification().name(), h.precedence().name(), h.sharingScope().name(), h.inReplyTo().orElse(null),
                h.deadline().map(Timestamp::from).orElse(null), submittedBy, Timestamp.from(acceptedAt),
                Timestamp.from(claimedSigningTime), signerFingerprint, main.id(), main.sha256().bytes(), h.contentSize(),
                parts.size(), original.contentTypeOid(), original.signedContentIdentifier(), original.signatureValue(),
                original.signedAttributes());
        for (int i = 0; i < parts.size(); i++) {
            jdbc.update("INSERT INTO document_part (document_id, index, blob_id, size) VALUES (?, ?, ?, ?)",
                    h.documentId(), i, parts.get(i).id(), parts.get(i).size());
        }
        for (int i = 0; i < h.attachments().size(); i++) {
            Attachment a = h.attachments().get(i);
            jdbc.update("INSERT INTO attachment (document_id, index, name, declared_type, detected_type, size) VALUES (?, ?, ?, ?, ?, ?)",
                    h.documentId(), i, a.name(), a.mediaType(), detectedTypes.get(i), a.size());
        }
        jdbc.update("INSERT INTO document_text (document_id, body, truncated) VALUES (?, ?, ?)", h.documentId(), text, textTruncated);
        // One statement per role, whatever the number of recipients (a notice to all offices has 207).
        jdbc.update("INSERT INTO recipient (document_id, organization, role, queued_at) SELECT ?, unnest(?::text[]), 'ACTION', ?",
                h.documentId(), codes(h.actionRecipients()), Timestamp.from(acceptedAt));
        jdbc.update("INSERT INTO recipient (document_id, organization, role, queued_at) SELECT ?, unnest(?::text[]), 'INFORMATION', ?",
                h.documentId(), codes(h.informationRecipients()), Timestamp.from(acceptedAt));
        // Findable in the shared archive from the moment it is stored, by whom the access rule admits.
        searchIndex.add(new SearchIndex.Entry(h.documentId(), h.documentNumber(), h.sender().value(), h.type().name(),
                h.classification().name(), h.precedence().name(), h.sharingScope().name(),
                java.util.Arrays.asList(codes(h.allRecipients())), acceptedAt, h.subject(), text));
    }

    /** Organization codes as a SQL array parameter. */
    public static String[] codes(java.util.Collection<OrgCode> organizations) {
        return organizations.stream().map(OrgCode::value).toArray(String[]::new);
    }

    public List<BlobStore.Info> parts(UUID documentId) {
        return jdbc.query("SELECT p.blob_id, p.size, b.sha256 FROM document_part p JOIN blob b ON b.id = p.blob_id "
                + "WHERE p.document_id = ? ORDER BY p.index", (rs, i) -> new BlobStore.Info(rs.getObject(1, UUID.class),
                rs.getLong(2), dev.pouch.crypto.seal.Sha256.of(rs.getBytes(3))), documentId);
    }

    public List<RecipientState> recipients(UUID documentId) {
        return jdbc.query("SELECT * FROM recipient WHERE document_id = ? ORDER BY role, organization", RECIPIENT, documentId);
    }

    public Optional<RecipientState> recipient(UUID documentId, OrgCode organization) {
        return jdbc.query("SELECT * FROM recipient WHERE document_id = ? AND organization = ?", RECIPIENT, documentId,
                organization.value()).stream().findFirst();
    }

    /** QUEUED → DELIVERED; later states are kept. True if the state changed. */
    public boolean markDelivered(UUID documentId, OrgCode organization, Instant at) {
        return jdbc.update("UPDATE recipient SET state = 'DELIVERED', delivered_at = ? WHERE document_id = ? AND organization = ?"
                + " AND state = 'QUEUED'", Timestamp.from(at), documentId, organization.value()) == 1;
    }

    public void storeReceipt(UUID documentId, OrgCode organization, byte[] receipt, Instant at) {
        jdbc.update("""
                UPDATE recipient SET receipt = ?, receipt_at = ?, delivered_at = coalesce(delivered_at, ?),
                    state = CASE WHEN state = 'QUEUED' THEN 'DELIVERED' ELSE state END
                WHERE document_id = ? AND organization = ?""",
                receipt, Timestamp.from(at), Timestamp.from(at), documentId, organization.value());
    }

    /** A person signs for the document; a later reply keeps its state. */
    public void signFor(UUID documentId, OrgCode organization, String by, String note, Instant at) {
        jdbc.update("""
                UPDATE recipient SET signed_for_at = coalesce(signed_for_at, ?), signed_for_by = coalesce(signed_for_by, ?),
                    signed_for_note = coalesce(signed_for_note, ?), delivered_at = coalesce(delivered_at, ?),
                    state = CASE WHEN state IN ('QUEUED', 'DELIVERED') THEN 'SIGNED_FOR' ELSE state END
                WHERE document_id = ? AND organization = ?""",
                Timestamp.from(at), by, note, Timestamp.from(at), documentId, organization.value());
    }

    /** The recipient answered with document {@code replyId}. */
    public boolean markReplied(UUID documentId, OrgCode organization, UUID replyId, Instant at) {
        return jdbc.update("""
                UPDATE recipient SET state = 'REPLIED', replied_at = ?, reply_id = ?, delivered_at = coalesce(delivered_at, ?)
                WHERE document_id = ? AND organization = ? AND replied_at IS NULL""",
                Timestamp.from(at), replyId, Timestamp.from(at), documentId, organization.value()) == 1;
    }

    public Optional<OriginalSignature> originalSignature(UUID documentId) {
        // The recipients are read first, not inside the document query's row mapper: outside a
        // transaction that would hold one pooled connection while waiting for a second, and 207
        // receipts arriving at once (a broadcast) would take every connection of the pool.
        List<OrgCode> recipients = recipients(documentId).stream().map(RecipientState::organization).toList();
        return jdbc.query("SELECT * FROM document WHERE id = ?", (rs, i) -> new OriginalSignature(documentId,
                OrgCode.of(rs.getString("issuer")), recipients, rs.getString("content_type_oid"),
                rs.getBytes("signed_content_identifier"), rs.getBytes("signature_value"), rs.getBytes("signed_attributes")),
                documentId).stream().findFirst();
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
