package dev.pouch.server.survey;

import dev.pouch.crypto.document.OrgCode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The survey tables: surveys, their target offices, and what the tracker shows. */
@Repository
public class SurveyRepository {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm zzz");

    private final JdbcTemplate jdbc;

    public SurveyRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A survey's own row. */
    public record Survey(UUID id, OrgCode requester, Instant deadline, Instant originalDeadline, Duration reminderBefore,
            boolean withdrawn, Instant createdAt) {
    }

    private static Survey survey(ResultSet rs) throws SQLException {
        return new Survey(rs.getObject("id", UUID.class), OrgCode.of(rs.getString("requester")),
                rs.getTimestamp("deadline").toInstant(), rs.getTimestamp("original_deadline").toInstant(),
                Duration.ofSeconds(rs.getLong("reminder_seconds")), "WITHDRAWN".equals(rs.getString("state")),
                rs.getTimestamp("created_at").toInstant());
    }

    private static final String SURVEY_COLUMNS = "s.id, s.requester, s.deadline, s.original_deadline, "
            + "extract(epoch FROM s.reminder_before)::bigint AS reminder_seconds, s.state, s.created_at";

    public Optional<Survey> find(UUID id) {
        return jdbc.query("SELECT " + SURVEY_COLUMNS + " FROM survey s WHERE s.id = ?", (rs, i) -> survey(rs), id).stream().findFirst();
    }

    /** The same, locked until the end of the transaction (an act on the survey, or a response to it). */
    public Optional<Survey> lock(UUID id) {
        return jdbc.query("SELECT " + SURVEY_COLUMNS + " FROM survey s WHERE s.id = ? FOR UPDATE", (rs, i) -> survey(rs), id)
                .stream().findFirst();
    }

    /** The survey a document replies to: the survey request itself, or an addition that made offices targets. */
    public Optional<Survey> answeredBy(UUID inReplyTo) {
        return jdbc.query("SELECT " + SURVEY_COLUMNS + " FROM survey s WHERE s.id = ? "
                + "OR s.id = (SELECT survey_id FROM survey_target WHERE request_id = ? LIMIT 1)", (rs, i) -> survey(rs),
                inReplyTo, inReplyTo).stream().findFirst();
    }

    public void insert(UUID id, OrgCode requester, Instant deadline, Duration reminderBefore, Instant at) {
        jdbc.update("INSERT INTO survey (id, requester, deadline, original_deadline, reminder_before, created_at) "
                        + "VALUES (?, ?, ?, ?, make_interval(secs => ?), ?)", id, requester.value(), Timestamp.from(deadline),
                Timestamp.from(deadline), (double) reminderBefore.toSeconds(), Timestamp.from(at));
    }

    public void addTargets(UUID surveyId, UUID requestId, Collection<OrgCode> targets, Instant at) {
        jdbc.update("INSERT INTO survey_target (survey_id, organization, request_id, added_at) SELECT ?, unnest(?::text[]), ?, ?",
                surveyId, targets.stream().map(OrgCode::value).toArray(String[]::new), requestId, Timestamp.from(at));
    }

    public List<OrgCode> targets(UUID surveyId) {
        return jdbc.query("SELECT organization FROM survey_target WHERE survey_id = ? ORDER BY organization",
                (rs, i) -> OrgCode.of(rs.getString(1)), surveyId);
    }

    public boolean isTarget(UUID surveyId, OrgCode organization) {
        return !jdbc.queryForList("SELECT 1 FROM survey_target WHERE survey_id = ? AND organization = ?", Integer.class,
                surveyId, organization.value()).isEmpty();
    }

    /** Counts a response; the first one fixes the response, its time and whether it was on time. */
    public void respond(UUID surveyId, OrgCode organization, UUID responseId, Instant at, boolean onTime) {
        jdbc.update("""
                UPDATE survey_target SET responses = responses + 1, response_id = coalesce(response_id, ?),
                    responded_at = coalesce(responded_at, ?), on_time = coalesce(on_time, ?)
                WHERE survey_id = ? AND organization = ?""", responseId, Timestamp.from(at), onTime, surveyId, organization.value());
    }

    /** A non-responding target to remind, with what the notice needs. */
    public record Due(UUID surveyId, OrgCode organization, UUID requestId, OrgCode requester, Instant deadline, ZoneId zone) {
    }

    private static final String DUE_RETURNING = " RETURNING t.survey_id, t.organization, t.request_id, s.requester, s.deadline, "
            + "(SELECT o.timezone FROM organization o WHERE o.code = t.organization)";

    private static Due due(ResultSet rs) throws SQLException {
        return new Due(rs.getObject(1, UUID.class), OrgCode.of(rs.getString(2)), rs.getObject(3, UUID.class),
                OrgCode.of(rs.getString(4)), rs.getTimestamp(5).toInstant(), ZoneId.of(rs.getString(6)));
    }

    /**
     * Marks and returns the targets due for the reminder before the deadline: open survey, no
     * response, not yet reminded, the reminder time reached, and asked before it (an office asked
     * an hour before the deadline is not reminded at once of what it just received). Atomic, so
     * two nodes never remind the same office twice.
     */
    public List<Due> takeDueReminders(Instant now) {
        Timestamp t = Timestamp.from(now);
        return jdbc.query("""
                UPDATE survey_target t SET reminded_at = ?
                FROM survey s
                WHERE s.id = t.survey_id AND s.state = 'OPEN' AND t.responded_at IS NULL AND t.reminded_at IS NULL
                  AND s.deadline > ? AND s.deadline - s.reminder_before <= ? AND t.added_at < s.deadline - s.reminder_before"""
                + DUE_RETURNING, (rs, i) -> due(rs), t, t, t);
    }

    /** Marks and returns the targets due for the reminder once the deadline has passed. */
    public List<Due> takeOverdue(Instant now) {
        Timestamp t = Timestamp.from(now);
        return jdbc.query("""
                UPDATE survey_target t SET overdue_reminded_at = ?
                FROM survey s
                WHERE s.id = t.survey_id AND s.state = 'OPEN' AND t.responded_at IS NULL AND t.overdue_reminded_at IS NULL
                  AND s.deadline <= ?""" + DUE_RETURNING, (rs, i) -> due(rs), t, t);
    }

    /** Marks and returns every target of the survey without a response (a reminder asked for by the requester). */
    public List<Due> takeNonResponders(UUID surveyId, Instant now, boolean overdue) {
        Timestamp t = Timestamp.from(now);
        return jdbc.query("UPDATE survey_target t SET " + (overdue ? "overdue_reminded_at" : "reminded_at") + " = ? "
                + "FROM survey s WHERE s.id = t.survey_id AND t.survey_id = ? AND t.responded_at IS NULL" + DUE_RETURNING,
                (rs, i) -> due(rs), t, surveyId);
    }

    /** Every target, or those without a response, for notices about the survey itself. */
    public List<Due> targetsFor(UUID surveyId, boolean onlyNonResponders) {
        return jdbc.query("SELECT t.survey_id, t.organization, t.request_id, s.requester, s.deadline, o.timezone "
                + "FROM survey_target t JOIN survey s ON s.id = t.survey_id JOIN organization o ON o.code = t.organization "
                + "WHERE t.survey_id = ?" + (onlyNonResponders ? " AND t.responded_at IS NULL" : "") + " ORDER BY t.organization",
                (rs, i) -> due(rs), surveyId);
    }

    /** A later deadline; the reminders of offices still to respond start again from it. */
    public void extend(UUID surveyId, Instant deadline) {
        jdbc.update("UPDATE survey SET deadline = ? WHERE id = ?", Timestamp.from(deadline), surveyId);
        jdbc.update("UPDATE survey_target SET reminded_at = NULL, overdue_reminded_at = NULL WHERE survey_id = ? AND responded_at IS NULL",
                surveyId);
    }

    public void withdraw(UUID surveyId, String by, String reason, Instant at) {
        jdbc.update("UPDATE survey SET state = 'WITHDRAWN', withdrawn_at = ?, withdrawn_by = ?, withdrawal_reason = ? WHERE id = ?",
                Timestamp.from(at), by, reason, surveyId);
    }

    /** The tracker: the survey and every target with its state at {@code now}. */
    public Optional<SurveyTracker> tracker(UUID id, Instant now) {
        record Head(String number, String subject, String classification, String requester, String state, Instant createdAt,
                Instant deadline, Instant originalDeadline, Duration reminderBefore, Instant withdrawnAt, String withdrawnBy,
                String reason) {
        }
        Optional<Head> head = jdbc.query("""
                SELECT d.number, d.subject, d.classification, s.requester, s.state, s.created_at, s.deadline, s.original_deadline,
                       extract(epoch FROM s.reminder_before)::bigint, s.withdrawn_at, s.withdrawn_by, s.withdrawal_reason
                FROM survey s JOIN document d ON d.id = s.id WHERE s.id = ?""",
                (rs, i) -> new Head(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), rs.getTimestamp(8).toInstant(),
                        Duration.ofSeconds(rs.getLong(9)), instant(rs, 10), rs.getString(11), rs.getString(12)), id)
                .stream().findFirst();
        if (head.isEmpty()) {
            return Optional.empty();
        }
        Head h = head.get();
        List<SurveyTracker.Target> targets = jdbc.query("""
                SELECT t.organization, o.name_zh, o.name_en, o.region, o.timezone, r.state, t.request_id, t.added_at,
                       r.delivered_at, r.signed_for_at, r.signed_for_by, t.response_id, d.number, d.submitted_by, t.responded_at,
                       t.on_time, t.responses, t.reminded_at, t.overdue_reminded_at
                FROM survey_target t
                JOIN organization o ON o.code = t.organization
                LEFT JOIN recipient r ON r.document_id = t.request_id AND r.organization = t.organization
                LEFT JOIN document d ON d.id = t.response_id
                WHERE t.survey_id = ?
                ORDER BY o.region, t.organization""", (rs, i) -> {
            String delivery = rs.getString(6) == null ? "QUEUED" : rs.getString(6);
            ZoneId zone = ZoneId.of(rs.getString(5));
            Instant respondedAt = instant(rs, 15);
            Boolean onTime = (Boolean) rs.getObject(16);
            SurveyTracker.TargetState state = respondedAt != null
                    ? (Boolean.TRUE.equals(onTime) ? SurveyTracker.TargetState.RESPONDED_ON_TIME : SurveyTracker.TargetState.RESPONDED_LATE)
                    : !now.isBefore(h.deadline()) ? SurveyTracker.TargetState.OVERDUE
                    : switch (delivery) {
                        case "DELIVERED" -> SurveyTracker.TargetState.DELIVERED;
                        case "SIGNED_FOR", "REPLIED" -> SurveyTracker.TargetState.SIGNED_FOR;
                        default -> SurveyTracker.TargetState.NOT_DELIVERED;
                    };
            return new SurveyTracker.Target(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), zone.getId(), state,
                    delivery, rs.getObject(7, UUID.class), rs.getTimestamp(8).toInstant(), instant(rs, 9), instant(rs, 10),
                    rs.getString(11), rs.getObject(12, UUID.class), rs.getString(13), rs.getString(14), respondedAt, onTime,
                    rs.getInt(17), instant(rs, 18), instant(rs, 19), local(h.deadline(), zone));
        }, id);
        return Optional.of(new SurveyTracker(id, h.number(), h.subject(), h.requester(), h.classification(), h.state(), h.createdAt(),
                h.deadline(), h.originalDeadline(), h.reminderBefore(), h.withdrawnAt(), h.withdrawnBy(), h.reason(),
                SurveyTracker.Counts.of(targets), targets));
    }

    /** A survey of the requester's list. */
    public record Summary(UUID id, String number, String subject, String state, Instant createdAt, Instant deadline, int targets,
            int responded, int onTime) {
    }

    public List<Summary> requestedBy(OrgCode requester, int limit) {
        return jdbc.query("""
                SELECT s.id, d.number, d.subject, s.state, s.created_at, s.deadline, count(t.organization),
                       count(t.responded_at), count(*) FILTER (WHERE t.on_time)
                FROM survey s JOIN document d ON d.id = s.id LEFT JOIN survey_target t ON t.survey_id = s.id
                WHERE s.requester = ?
                GROUP BY s.id, d.number, d.subject ORDER BY s.created_at DESC LIMIT ?""",
                (rs, i) -> new Summary(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getInt(7), rs.getInt(8), rs.getInt(9)),
                requester.value(), limit);
    }

    /** The deadline as an office reads it: its own wall-clock time and zone. */
    public static String local(Instant deadline, ZoneId zone) {
        return deadline.atZone(zone).format(LOCAL) + " (" + zone.getId() + ")";
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
