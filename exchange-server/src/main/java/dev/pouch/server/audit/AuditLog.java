package dev.pouch.server.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Clock;

/**
 * Appends to the audit log. An entry is written in the caller's transaction, so an audited action
 * and its entry commit together (or not at all); the {@link AuditChainer} links committed entries
 * into the hash chain shortly after.
 */
@Service
public class AuditLog {

    /** What happened. Stable names: they are what auditors search for. */
    public enum Action {
        LOGIN, LOGIN_REFUSED, SUBMISSION_ACCEPTED, SUBMISSION_REFUSED, DELIVERED, DELIVERY_FAILED, RECEIPT, RECEIPT_REFUSED,
        SIGNED_FOR, READ, STATUS_READ, DIRECTORY_READ, STAFF_SAVED, STAFF_DEACTIVATED, CERTIFICATE_ISSUED, CERTIFICATE_REVOKED,
        AUDIT_VERIFIED, DEAD_LETTER, DEAD_LETTER_RETRIED,
        SURVEY_OPENED, SURVEY_TARGETS_ADDED, SURVEY_RESPONSE, SURVEY_READ, SURVEY_REMINDED, SURVEY_EXTENDED, SURVEY_WITHDRAWN,
        NOTICE_DELIVERED, BATCH_READ, STATISTICS_READ, SURVEY_COMPILED, SEARCH,
        LOGOUT, INBOX_READ, CERTIFICATES_READ, DEAD_LETTERS_READ
    }

    /** How it ended. */
    public enum Outcome { OK, REFUSED, FAILED }

    private static final int MAX_DETAIL = 2000;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public AuditLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(String actor, Action action, String subject, Outcome outcome, String detail) {
        String d = detail == null ? "" : detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail;
        jdbc.update("INSERT INTO audit_log (at, actor, action, subject, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)",
                Timestamp.from(clock.instant()), actor, action.name(), subject == null ? "" : subject, outcome.name(), d);
    }
}
