package dev.pouch.server.routing;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.server.config.BrokerClient;
import dev.pouch.server.config.BrokerNames;
import org.apache.activemq.artemis.api.core.ActiveMQException;
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
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * Relays notices (rows of {@code notice} not yet sent) to their organizations' queues, the same
 * transactional-outbox discipline as documents ({@link OutboxRelay}): a notice is written in the
 * transaction of the act it reports, sent durably with a duplicate-detection id, then marked
 * sent; rows left unsent by an outage or a crash go out with the next sweep.
 */
@Component
public class NoticeRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NoticeRelay.class);
    private static final int SWEEP_LIMIT = 1000;

    private record Row(UUID id, String organization) {
    }

    private final JdbcTemplate jdbc;
    private final ClientSessionFactory factory;
    private final ClientSession session;
    private final ClientProducer producer;

    public NoticeRelay(JdbcTemplate jdbc, BrokerClient broker) throws Exception {
        this.jdbc = jdbc;
        this.factory = broker.connect();
        this.session = broker.session(factory, true, false);
        this.producer = session.createProducer();
    }

    /** Sends unsent notices now (after the act's commit), and on every sweep. */
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

    private void send(Row row) throws ActiveMQException {
        ClientMessage message = session.createMessage(true);
        message.setPriority((byte) Precedence.URGENT.brokerPriority());
        message.putStringProperty(BrokerMessages.NOTICE_ID, row.id().toString());
        message.putStringProperty(BrokerMessages.ORGANIZATION, row.organization());
        message.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, SimpleString.of("notice:" + row.id()));
        // a duplicate is a notice the broker already holds: it is marked sent like a committed one
        BrokerTransactions.commit(session, () -> producer.send(BrokerNames.organizationQueue(OrgCode.of(row.organization())), message));
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
