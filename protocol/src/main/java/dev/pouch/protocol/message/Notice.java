package dev.pouch.protocol.message;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Server to client: what the exchange tells an organization about a document — a survey
 * reminder, an extended deadline, a withdrawal. Queued like a document while the office is
 * offline; the client persists it, then answers {@link NoticeAck}.
 */
public record Notice(UUID noticeId, Kind kind, UUID documentId, String documentNumber, String subject, String from,
        String text, Optional<Instant> deadline, Instant createdAt) implements Message {

    /** What the notice says. */
    public enum Kind {
        /** The survey's deadline is near and the office has not responded. */
        SURVEY_REMINDER,
        /** The deadline has passed and the office has not responded. */
        SURVEY_OVERDUE,
        /** The requester moved the deadline. */
        SURVEY_EXTENDED,
        /** The requester withdrew the survey: it takes no more responses. */
        SURVEY_WITHDRAWN
    }

    public static final int MAX_TEXT = 4000;

    public Notice {
        Objects.requireNonNull(noticeId);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(documentId);
        Checks.text(documentNumber, 128, "document number");
        Checks.text(subject, 1000, "subject");
        Checks.text(from, 32, "from");
        Checks.text(text, MAX_TEXT, "text");
        Objects.requireNonNull(deadline);
        Objects.requireNonNull(createdAt);
    }
}
