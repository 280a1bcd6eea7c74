package dev.pouch.server.search;

import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.SharingScope;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.archive.BlobStore;
import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.archive.UploadStore;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.directory.Staff;
import dev.pouch.server.pki.ExchangePki;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A document of the shared archive as a staff member may read it: its metadata, recipients and
 * attachments list, and each attachment's content (opened with the archive key). Every read goes
 * through the database's access rule and the service's; a document the caller may not see is
 * answered exactly like one that does not exist (NOT_FOUND, same sentence), so ids cannot be
 * probed. Every read and every refusal is audited.
 */
@Service
public class DocumentReader {

    /** A document's page. */
    public record DocumentView(UUID id, String number, String type, String subject, String sender, String senderRegion,
            String classification, String precedence, String sharingScope, Optional<UUID> inReplyTo, Optional<Instant> deadline,
            String submittedBy, Instant acceptedAt, long contentSize, List<Recipient> recipients, List<AttachmentInfo> attachments) {
    }

    /** A recipient and how far its copy got. */
    public record Recipient(String organization, String role, String state, Optional<Instant> deliveredAt,
            Optional<Instant> signedForAt, Optional<String> signedForBy) {
    }

    /** An attachment as declared by the sender and as the exchange detected it. */
    public record AttachmentInfo(int index, String name, String declaredType, String detectedType, long size) {
    }

    /** An attachment's content, written to an output stream once the read has been allowed and audited. */
    public interface Content {
        AttachmentInfo info();

        void writeTo(OutputStream out) throws IOException;
    }

    private record Located(AttachmentInfo info, UUID mainBlob, Instant acceptedAt, long offset) {
    }

    private final ArchiveAccess access;
    private final JdbcTemplate jdbc;
    private final BlobStore blobs;
    private final DocumentRepository documents;
    private final CmsOpener archive;

    DocumentReader(ArchiveAccess access, JdbcTemplate jdbc, BlobStore blobs, DocumentRepository documents, ExchangePki pki) {
        this.access = access;
        this.jdbc = jdbc;
        this.blobs = blobs;
        this.documents = documents;
        this.archive = CmsOpener.builder().recipient(pki.archive()).validator(pki.validator())
                .maxSealedSize(UploadStore.MAX_OBJECT).build();
    }

    /** The document's page, if {@code caller} may see it; NOT_FOUND otherwise. */
    public DocumentView read(Staff caller, UUID id) {
        Viewer viewer = access.viewer(caller);
        try {
            return access.read(viewer, AuditLog.Action.READ, () -> {
                DocumentView d = find(viewer, id);
                return new ArchiveAccess.Outcome<>(d, id.toString(), "metadata " + d.number());
            });
        } catch (ProtocolException e) {
            access.refused(viewer.actor(), AuditLog.Action.READ, id.toString(), e);
            throw e;
        }
    }

    /** Attachment {@code index} of the document, if {@code caller} may see the document; NOT_FOUND otherwise. */
    public Content attachment(Staff caller, UUID id, int index) {
        Viewer viewer = access.viewer(caller);
        Located located;
        try {
            located = access.read(viewer, AuditLog.Action.READ, () -> {
                find(viewer, id);
                List<Located> rows = jdbc.query("""
                        SELECT a.index, a.name, a.declared_type, a.detected_type, a.size, d.main_blob, d.accepted_at,
                            coalesce((SELECT sum(b.size) FROM attachment b WHERE b.document_id = a.document_id AND b.index < a.index), 0)
                        FROM attachment a JOIN document d ON d.id = a.document_id WHERE a.document_id = ? AND a.index = ?""",
                        (rs, i) -> new Located(attachmentInfo(rs), rs.getObject(6, UUID.class), rs.getTimestamp(7).toInstant(),
                                rs.getLong(8)), id, index);
                Located l = rows.stream().findFirst().orElseThrow(() ->
                        new ProtocolException(ErrorCode.NOT_FOUND, "document " + id + " has no attachment " + index));
                return new ArchiveAccess.Outcome<>(l, id.toString(), "attachment " + index + " " + l.info().name());
            });
        } catch (ProtocolException e) {
            access.refused(viewer.actor(), AuditLog.Action.READ, id + " attachment " + index, e);
            throw e;
        }
        return new Content() {
            @Override
            public AttachmentInfo info() {
                return located.info();
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                write(id, located, out);
            }
        };
    }

    /** The document as the viewer may see it: read under row-level security, then the rule checked again. */
    private DocumentView find(Viewer viewer, UUID id) {
        ProtocolException notFound = new ProtocolException(ErrorCode.NOT_FOUND, "no document " + id);
        record Row(DocumentView view, boolean party) {
        }
        Row row = jdbc.query("""
                SELECT d.*, e.issuer_region, ? = ANY (e.parties) AS party
                FROM document d JOIN search_entry e ON e.document_id = d.id WHERE d.id = ?""",
                (rs, i) -> new Row(view(rs, id), rs.getBoolean("party")), viewer.organization().value(), id)
                .stream().findFirst().orElseThrow(() -> notFound);
        if (!viewer.maySee(row.party(), Classification.valueOf(row.view().classification()),
                SharingScope.valueOf(row.view().sharingScope()))) {
            throw notFound;
        }
        return row.view();
    }

    private DocumentView view(ResultSet rs, UUID id) throws SQLException {
        List<Recipient> recipients = jdbc.query("""
                SELECT organization, role, state, delivered_at, signed_for_at, signed_for_by FROM recipient
                WHERE document_id = ? ORDER BY role, organization""",
                (r, i) -> new Recipient(r.getString(1), r.getString(2), r.getString(3), instant(r, 4), instant(r, 5),
                        Optional.ofNullable(r.getString(6))), id);
        List<AttachmentInfo> attachments = jdbc.query("""
                SELECT index, name, declared_type, detected_type, size FROM attachment WHERE document_id = ? ORDER BY index""",
                (r, i) -> attachmentInfo(r), id);
        return new DocumentView(id, rs.getString("number"), rs.getString("type"), rs.getString("subject"), rs.getString("issuer"),
                rs.getString("issuer_region"), rs.getString("classification"), rs.getString("precedence"),
                rs.getString("sharing_scope"), Optional.ofNullable(rs.getObject("in_reply_to", UUID.class)), instant(rs, "deadline"),
                rs.getString("submitted_by"), rs.getTimestamp("accepted_at").toInstant(), rs.getLong("content_size"), recipients,
                attachments);
    }

    private static AttachmentInfo attachmentInfo(ResultSet rs) throws SQLException {
        return new AttachmentInfo(rs.getInt("index"), rs.getString("name"), rs.getString("declared_type"),
                rs.getString("detected_type"), rs.getLong("size"));
    }

    /**
     * Opens the archive copy (signature and chain as of acceptance) and writes the attachment's
     * bytes; a parted document is decrypted one part at a time, each checked against the manifest.
     */
    private void write(UUID id, Located l, OutputStream out) throws IOException {
        try {
            OpenedDocument opened = archive.open(blobs.read(l.mainBlob()), ValidationTime.recordedByExchange(l.acceptedAt()));
            if (!opened.header().documentId().equals(id)) {
                throw new ProtocolException(ErrorCode.INTERNAL_ERROR, "the stored object of " + id + " carries another id");
            }
            if (!opened.isParted()) {
                ByteBuffer b = opened.attachmentContents().get(l.info().index());
                byte[] buffer = new byte[64 * 1024];
                while (b.hasRemaining()) {
                    int n = Math.min(buffer.length, b.remaining());
                    b.get(buffer, 0, n);
                    out.write(buffer, 0, n);
                }
                return;
            }
            List<BlobStore.Info> parts = documents.parts(id);
            int partSize = opened.manifest().orElseThrow().partSize();
            long position = l.offset();
            long end = l.offset() + l.info().size();
            while (position < end) {
                int index = (int) (position / partSize);
                byte[] plain = archive.openPart(opened, index, blobs.read(parts.get(index).id()));
                int from = (int) (position - (long) index * partSize);
                int to = (int) Math.min(plain.length, end - (long) index * partSize);
                out.write(plain, from, to - from);
                Arrays.fill(plain, (byte) 0);
                position += to - from;
            }
        } catch (CryptoException e) {
            throw new ProtocolException(ErrorCode.of(e.error()), "the archive copy of " + id + " cannot be opened: " + e.detail());
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
