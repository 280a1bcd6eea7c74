package dev.pouch.server.notice;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.protocol.message.Notice;
import dev.pouch.server.config.BrokerClient;
import dev.pouch.server.config.BrokerNames;
import dev.pouch.server.routing.BrokerMessages;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Notices: what the exchange tells an organization about a document (a survey reminder, an
 * extended deadline, a withdrawal). A notice is written in the transaction of the act that causes
 * it, then relayed to the organization's queue like a document — the same transactional-outbox
 * discipline: rows left unsent by an outage or a crash go out with the next sweep, and the broker's
 * duplicate detection drops a second copy. The delivery service pushes it to a connected client,
 * which persists it and acknowledges; offline offices get their notices when they connect.
 */
@Service
public class NoticeService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NoticeService.class);
    private static final int SWEEP_LIMIT = 1000;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final ClientSessionFactory factory;
    private final ClientSession session;
    private final ClientProducer producer;

    public NoticeService(JdbcTemplate jdbc, Clock clock, BrokerClient broker) throws Exception {
        this.jdbc = jdbc;
        this.clock = clock;
        this.factory = broker.connect();
        this.session = broker.session(factory, true, false);
        this.producer = session.createProducer();
    }

    /** Writes a notice; call it inside the transaction of the act it reports. */
    public UUID create(OrgCode organization, Notice.Kind kind, UUID documentId, OrgCode sender, String text,
            Optional<Instant> deadline) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO notice (id, organization, kind, document_id, sender, text, deadline, created_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", id, organization.value(), kind.name(), documentId, sender.value(),
                text.length() > Notice.MAX_TEXT ? text.substring(0, Notice.MAX_TEXT - 1) + "…" : text,
                deadline.map(Timestamp::from).orElse(null), Timestamp.from(clock.instant()));
        return id;
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

    /** Relays unsent notices to their organizations' queues now (after the act's commit), and on every sweep. */
    @Scheduled(fixedDelayString = "PT1S", initialDelayString = "PT2S")
    public synchronized void relay() {
        List<Row> rows = jdbc.query("SELECT id, organization FROM notice WHERE sent_at IS NULL ORDER BY created_at LIMIT " + SWEEP_LIMIT,
                (rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getString(2)));
        for (Row row : rows) {
            try {
                send(row);
            } catch (ActiveMQException e) {
                log.warn("the broker did not take notice {} for {}: {}; it stays for the next sweep", row.id(), row.organization(),
                        e.toString());
                return;
            }
            jdbc.update("UPDATE notice SET sent_at = now() WHERE id = ?", row.id());
        }
    }

    private record Row(UUID id, String organization) {
    }

    private void send(Row row) throws ActiveMQException {
        ClientMessage message = session.createMessage(true);
        message.setPriority((byte) Precedence.URGENT.brokerPriority());
        message.putStringProperty(BrokerMessages.NOTICE_ID, row.id().toString());
        message.putStringProperty(BrokerMessages.ORGANIZATION, row.organization());
        message.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, SimpleString.of("notice:" + row.id()));
        try {
            producer.send(BrokerNames.organizationQueue(OrgCode.of(row.organization())), message);
            session.commit();
        } catch (ActiveMQException e) {
            try {
                session.rollback();
            } catch (ActiveMQException ignored) {
                // the session is broken; the first failure is reported
            }
            if (e.getType() != ActiveMQExceptionType.DUPLICATE_ID_REJECTED) {
                throw e; // a duplicate is a notice the broker already holds: mark it sent
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (ActiveMQException ignored) {
            // closing anyway
        }
        factory.close();
    }
}
