package dev.pouch.server.web.console;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The console's read-only lists that no feature service offers: an organization's received and sent
 * documents, a document's attachments, replies and signer, staff and certificates. Callers check
 * access first; every list is bounded.
 */
@Repository
class ConsoleQueries {

    static final int PAGE = 50;

    /** One row of the inbox or the sent list. */
    record Row(UUID id, String number, String issuer, String type, String subject, String classification, String precedence,
            Instant acceptedAt, Instant deadline, String role, String state, long recipients, long signedFor) {
    }

    record AttachmentRow(int index, String name, String declaredType, String detectedType, long size) {
    }

    record ReplyRow(UUID id, String number, String issuer, String type, String subject, Instant acceptedAt) {
    }

    record Signer(String fingerprint, Instant claimedSigningTime, String serial, String identity, Instant notAfter,
            Instant revokedAt, String revocationReason) {
    }

    record StaffRow(String organization, String staffId, String displayName, List<String> roles, String clearance, boolean active,
            boolean hasPassword) {
    }

    record CertificateRow(String serial, String profile, String identity, Instant notBefore, Instant notAfter, Instant issuedAt,
            Instant revokedAt, String revocationReason) {
    }

    private final JdbcTemplate jdbc;

    ConsoleQueries(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Documents addressed to {@code organization} within {@code clearance}, newest first. */
    List<Row> received(OrgCode organization, Classification clearance, int page) {
        return jdbc.query("""
                SELECT d.id, d.number, d.issuer, d.type, d.subject, d.classification, d.precedence, d.accepted_at, d.deadline,
                       r.role, r.state, 0 AS recipients, 0 AS signed_for
                FROM recipient r JOIN document d ON d.id = r.document_id
                WHERE r.organization = ? AND d.classification = ANY (?)
                ORDER BY d.accepted_at DESC, d.id LIMIT ? OFFSET ?""",
                (rs, i) -> row(rs), organization.value(), within(clearance), PAGE + 1, page * PAGE);
    }

    /** Documents {@code organization} sent within {@code clearance}, newest first, with how many recipients signed for them. */
    List<Row> sent(OrgCode organization, Classification clearance, int page) {
        return jdbc.query("""
                SELECT d.id, d.number, d.issuer, d.type, d.subject, d.classification, d.precedence, d.accepted_at, d.deadline,
                       '' AS role, '' AS state,
                       (SELECT count(*) FROM recipient r WHERE r.document_id = d.id) AS recipients,
                       (SELECT count(*) FROM recipient r WHERE r.document_id = d.id AND r.state IN ('SIGNED_FOR', 'REPLIED')) AS signed_for
                FROM document d
                WHERE d.issuer = ? AND d.classification = ANY (?)
                ORDER BY d.accepted_at DESC, d.id LIMIT ? OFFSET ?""",
                (rs, i) -> row(rs), organization.value(), within(clearance), PAGE + 1, page * PAGE);
    }

    List<AttachmentRow> attachments(UUID documentId) {
        return jdbc.query("SELECT index, name, declared_type, detected_type, size FROM attachment WHERE document_id = ? ORDER BY index",
                (rs, i) -> new AttachmentRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)),
                documentId);
    }

    /** Replies to the document that {@code organization} sent or received, within {@code clearance}. */
    List<ReplyRow> replies(UUID documentId, OrgCode organization, Classification clearance) {
        return jdbc.query("""
                SELECT d.id, d.number, d.issuer, d.type, d.subject, d.accepted_at FROM document d
                WHERE d.in_reply_to = ? AND d.classification = ANY (?)
                  AND (d.issuer = ? OR EXISTS (SELECT 1 FROM recipient r WHERE r.document_id = d.id AND r.organization = ?))
                ORDER BY d.accepted_at LIMIT 500""",
                (rs, i) -> new ReplyRow(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), instant(rs, 6)), documentId, within(clearance), organization.value(), organization.value());
    }

    Optional<Signer> signer(UUID documentId) {
        return jdbc.query("""
                SELECT d.signer_fingerprint, d.claimed_signing_time, c.serial, c.identity, c.not_after, c.revoked_at,
                       c.revocation_reason
                FROM document d LEFT JOIN certificate c ON c.fingerprint = d.signer_fingerprint WHERE d.id = ?""",
                (rs, i) -> new Signer(rs.getString(1), instant(rs, 2), rs.getString(3), rs.getString(4), instant(rs, 5),
                        instant(rs, 6), rs.getString(7)), documentId).stream().findFirst();
    }

    List<StaffRow> staff(String organization) {
        String where = organization == null ? "" : " WHERE s.organization = ?";
        Object[] args = organization == null ? new Object[0] : new Object[] {organization};
        return jdbc.query("""
                SELECT s.organization, s.staff_id, s.display_name, s.roles, s.clearance, s.active,
                       EXISTS (SELECT 1 FROM staff_password p WHERE p.staff = s.id) AS has_password
                FROM staff s""" + where + " ORDER BY s.organization, s.staff_id LIMIT 2000",
                (rs, i) -> new StaffRow(rs.getString(1), rs.getString(2), rs.getString(3),
                        Arrays.stream((Object[]) rs.getArray(4).getArray()).map(String::valueOf).sorted().toList(), rs.getString(5),
                        rs.getBoolean(6), rs.getBoolean(7)), args);
    }

    /** Certificates, newest first; {@code filter} matches serial or identity (substring). */
    List<CertificateRow> certificates(String filter, int limit) {
        String like = "%" + (filter == null ? "" : filter.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")) + "%";
        return jdbc.query("""
                SELECT serial, profile, identity, not_before, not_after, issued_at, revoked_at, revocation_reason FROM certificate
                WHERE serial LIKE ? OR identity LIKE ? ORDER BY issued_at DESC, serial LIMIT ?""",
                (rs, i) -> new CertificateRow(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
                        instant(rs, 6), instant(rs, 7), rs.getString(8)), like, like, limit);
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getObject("id", UUID.class), rs.getString("number"), rs.getString("issuer"), rs.getString("type"),
                rs.getString("subject"), rs.getString("classification"), rs.getString("precedence"), instant(rs, 8), instant(rs, 9),
                rs.getString("role"), rs.getString("state"), rs.getLong("recipients"), rs.getLong("signed_for"));
    }

    /** The classifications a clearance reaches, as a SQL array parameter. */
    static String[] within(Classification clearance) {
        return Arrays.stream(Classification.values()).filter(c -> c.isWithin(clearance)).map(Enum::name).toArray(String[]::new);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
