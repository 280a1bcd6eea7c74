package dev.pouch.server.notice;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.message.Notice;
import dev.pouch.server.routing.NoticeRelay;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Notices: what the exchange tells an organization about a document (a survey reminder, an
 * extended deadline, a withdrawal). A notice is written in the transaction of the act that causes
 * it, then relayed to the organization's queue like a document ({@link NoticeRelay}); the delivery
 * service pushes it to a connected client, which persists it and acknowledges. Offline offices get
 * their notices when they connect.
 */
@Service
public class NoticeService {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final NoticeRelay relay;

    public NoticeService(JdbcTemplate jdbc, Clock clock, NoticeRelay relay) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.relay = relay;
    }

    /** Writes a notice; call it inside the transaction of the act it reports, and {@link #relay()} after the commit. */
    public UUID create(OrgCode organization, Notice.Kind kind, UUID documentId, OrgCode sender, String text,
            Optional<Instant> deadline) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO notice (id, organization, kind, document_id, sender, text, deadline, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, organization.value(), kind.name(), documentId, sender.value(),
                text.length() > Notice.MAX_TEXT ? text.substring(0, Notice.MAX_TEXT - 1) + "…" : text,
                deadline.map(Timestamp::from).orElse(null), Timestamp.from(clock.instant()));
        return id;
    }

    /** Sends what was written (after the act's commit) rather than waiting for the relay's next sweep. */
    public void relay() {
        relay.relay();
    }

    /** The notice as the protocol carries it, if it exists and is addressed to {@code organization}. */
    public Optional<Notice> find(UUID id, OrgCode organization) {
        return jdbc.query("""
                SELECT n.kind, n.document_id, d.number, d.subject, n.sender, n.text, n.deadline, n.created_at
                FROM notice n JOIN document d ON d.id = n.document_id WHERE n.id = ? AND n.organization = ?""",
                (rs, i) -> new Notice(id, Notice.Kind.valueOf(rs.getString(1)), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6),
                        Optional.ofNullable(rs.getTimestamp(7)).map(Timestamp::toInstant), rs.getTimestamp(8).toInstant()),
                id, organization.value()).stream().findFirst();
    }

    /** The organization's client persisted the notice. */
    public void delivered(UUID id, Instant at) {
        jdbc.update("UPDATE notice SET delivered_at = ? WHERE id = ? AND delivered_at IS NULL", Timestamp.from(at), id);
    }
}
