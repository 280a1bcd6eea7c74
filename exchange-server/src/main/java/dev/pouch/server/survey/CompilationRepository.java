package dev.pouch.server.survey;

import dev.pouch.crypto.document.Classification;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What a compilation reads: the survey, its targets with their delivery state, and their responses. */
@Repository
class CompilationRepository {

    record SurveyRow(UUID id, String requester, String number, String subject, Classification classification,
            Instant sentAt, Instant deadline, Instant originalDeadline, String state, Optional<Instant> withdrawnAt,
            Optional<String> withdrawnBy, Optional<String> withdrawalReason) {
    }

    record TargetRow(String organization, UUID requestId, Optional<UUID> responseId, Optional<Instant> respondedAt,
            Optional<Boolean> onTime, String deliveryState, Optional<Instant> signedForAt) {
    }

    record ResponseRow(UUID id, String issuer, String number, String subject, Classification classification,
            String submittedBy, String responderName, Instant acceptedAt, UUID mainBlob, byte[] mainSha256, long sealedSize,
            int partCount, String excerpt, int textLength, boolean textTruncated) {
    }

    record AttachmentRow(int index, String name, String declaredType, String detectedType, long size) {
    }

    private final JdbcTemplate jdbc;

    CompilationRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<SurveyRow> survey(UUID id) {
        return jdbc.query("""
                SELECT s.id, s.requester, d.number, d.subject, d.classification, d.accepted_at, s.deadline,
                       s.original_deadline, s.state, s.withdrawn_at, s.withdrawn_by, s.withdrawal_reason
                FROM survey s JOIN document d ON d.id = s.id WHERE s.id = ?""", (rs, i) -> new SurveyRow(
                rs.getObject("id", UUID.class), rs.getString("requester"), rs.getString("number"), rs.getString("subject"),
                Classification.valueOf(rs.getString("classification")), instant(rs, "accepted_at").orElseThrow(),
                instant(rs, "deadline").orElseThrow(), instant(rs, "original_deadline").orElseThrow(), rs.getString("state"),
                instant(rs, "withdrawn_at"), Optional.ofNullable(rs.getString("withdrawn_by")),
                Optional.ofNullable(rs.getString("withdrawal_reason"))), id).stream().findFirst();
    }

    /** Every target, with its state for the request it received (QUEUED if it has no recipient row). */
    List<TargetRow> targets(UUID surveyId) {
        return jdbc.query("""
                SELECT t.organization, t.request_id, t.response_id, t.responded_at, t.on_time,
                       coalesce(r.state, 'QUEUED') AS delivery_state, r.signed_for_at
                FROM survey_target t
                LEFT JOIN recipient r ON r.document_id = t.request_id AND r.organization = t.organization
                WHERE t.survey_id = ? ORDER BY t.organization""", (rs, i) -> new TargetRow(rs.getString("organization"),
                rs.getObject("request_id", UUID.class), Optional.ofNullable(rs.getObject("response_id", UUID.class)),
                instant(rs, "responded_at"), Optional.ofNullable((Boolean) rs.getObject("on_time")),
                rs.getString("delivery_state"), instant(rs, "signed_for_at")), surveyId);
    }

    /**
     * Every response: a REPORT from a target office to the requester in reply to the survey or to
     * the addition that made the office a target, plus whatever the survey recorded as a first
     * response. Only the first {@code excerpt} characters of the extracted text are read.
     */
    List<ResponseRow> responses(UUID surveyId, String requester, int excerpt) {
        return jdbc.query("""
                SELECT d.id, d.issuer, d.number, d.subject, d.classification, d.submitted_by, d.accepted_at, d.main_blob,
                       d.main_sha256, b.size AS sealed_size, d.part_count, coalesce(st.display_name, '') AS responder_name,
                       coalesce(left(x.body, ?), '') AS excerpt, coalesce(length(x.body), 0) AS text_length,
                       coalesce(x.truncated, false) AS truncated
                FROM document d
                JOIN blob b ON b.id = d.main_blob
                LEFT JOIN document_text x ON x.document_id = d.id
                LEFT JOIN staff st ON st.organization = d.issuer AND 'urn:pouch:staff:' || st.organization || ':' || st.staff_id = d.submitted_by
                WHERE d.id IN (SELECT response_id FROM survey_target WHERE survey_id = ? AND response_id IS NOT NULL)
                   OR (d.type = 'REPORT' AND d.issuer <> ?
                       AND (d.in_reply_to = ? OR d.in_reply_to IN (SELECT request_id FROM survey_target WHERE survey_id = ?))
                       AND EXISTS (SELECT 1 FROM survey_target t WHERE t.survey_id = ? AND t.organization = d.issuer)
                       AND EXISTS (SELECT 1 FROM recipient r WHERE r.document_id = d.id AND r.organization = ?))
                ORDER BY d.issuer, d.accepted_at, d.id""", (rs, i) -> new ResponseRow(rs.getObject("id", UUID.class),
                rs.getString("issuer"), rs.getString("number"), rs.getString("subject"),
                Classification.valueOf(rs.getString("classification")), rs.getString("submitted_by"),
                rs.getString("responder_name"), instant(rs, "accepted_at").orElseThrow(), rs.getObject("main_blob", UUID.class),
                rs.getBytes("main_sha256"), rs.getLong("sealed_size"), rs.getInt("part_count"), rs.getString("excerpt"),
                rs.getInt("text_length"), rs.getBoolean("truncated")),
                excerpt, surveyId, requester, surveyId, surveyId, surveyId, requester);
    }

    List<AttachmentRow> attachments(UUID documentId) {
        return jdbc.query("SELECT index, name, declared_type, detected_type, size FROM attachment WHERE document_id = ? ORDER BY index",
                (rs, i) -> new AttachmentRow(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5)),
                documentId);
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return Optional.ofNullable(t).map(Timestamp::toInstant);
    }
}
