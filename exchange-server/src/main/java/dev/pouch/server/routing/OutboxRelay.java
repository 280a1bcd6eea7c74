package dev.pouch.server.routing;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.server.config.BrokerClient;
import dev.pouch.server.config.BrokerNames;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
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

import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The transactional outbox's relay: routing rows committed with a document become durable broker
 * messages — all of one document's in one broker transaction, with a duplicate-detection id —
 * and are then marked sent. Rows left unsent (broker down, crash between commit and send) are
 * sent again by the periodic sweep, so a committed document always reaches its queues; a message
 * sent twice is dropped by the broker's duplicate detection or, failing that, recognised by the
 * recipient's client by document id.
 */
@Component
public class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int SESSIONS = 4;

    private record Producer(ClientSession session, ClientProducer producer) {
    }

    private record Row(long id, String organization, int priority) {
    }

    private final JdbcTemplate jdbc;
    private final ClientSessionFactory factory;
    private final BlockingQueue<Producer> producers = new ArrayBlockingQueue<>(SESSIONS);
    private final Timer sendTimer;

    public OutboxRelay(JdbcTemplate jdbc, BrokerClient broker, Directory directory, MeterRegistry metrics) throws Exception {
        this.jdbc = jdbc;
        this.factory = broker.connect();
        this.sendTimer = Timer.builder("pouch.routing.send").description("Broker transaction per document").register(metrics);
        try (ClientSession admin = broker.session(factory, false, false)) {
            for (Organization o : directory.all()) {
                createQueue(admin, BrokerNames.organizationQueue(o.code()));
            }
        }
        for (int i = 0; i < SESSIONS; i++) {
            ClientSession session = broker.session(factory, true, false);
            producers.add(new Producer(session, session.createProducer()));
        }
    }

    /** Declares the organization's durable anycast queue on its own address, unless an earlier start did. */
    private static void createQueue(ClientSession session, String name) throws ActiveMQException {
        SimpleString address = SimpleString.of(name);
        if (!session.addressQuery(address).isExists()) {
            session.createAddress(address, EnumSet.of(RoutingType.ANYCAST), false);
        }
        if (!session.queueQuery(address).isExists()) {
            session.createQueue(QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
    }

    /** Sends the document's unsent routing rows now. False if the broker could not take them (they stay for the sweep). */
    public boolean sendNow(UUID documentId) {
        List<Row> rows = jdbc.query("SELECT id, organization, priority FROM outbox WHERE document_id = ? AND sent_at IS NULL ORDER BY id",
                (rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getInt(3)), documentId);
        if (rows.isEmpty()) {
            return true;
        }
        Producer p;
        try {
            p = producers.poll(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (p == null) {
            return false;
        }
        Timer.Sample sample = Timer.start();
        try {
            BrokerTransactions.Outcome sent = send(p, documentId, rows);
            if (sent == BrokerTransactions.Outcome.DUPLICATE) {
                // A crash (or a lost commit reply) came between an earlier broker commit and marking the
                // rows sent: the broker already holds some of these messages and rejects the whole
                // transaction. Row by row, a rejected duplicate is a message the broker has.
                for (Row row : rows) {
                    if (send(p, documentId, List.of(row)) == BrokerTransactions.Outcome.DUPLICATE) {
                        log.info("the broker already had the message of {} for {}", documentId, row.organization());
                    }
                }
            }
        } catch (ActiveMQException e) {
            log.warn("broker refused the messages of {}: {}; they stay in the outbox", documentId, e.toString());
            return false;
        } finally {
            sample.stop(sendTimer);
            producers.add(p);
        }
        markSent(rows);
        return true;
    }

    /** One broker transaction for the rows: committed, or rejected whole because one of them is a duplicate. */
    private static BrokerTransactions.Outcome send(Producer p, UUID documentId, List<Row> rows) throws ActiveMQException {
        return BrokerTransactions.commit(p.session(), () -> {
            for (Row row : rows) {
                ClientMessage message = p.session().createMessage(true);
                message.setPriority((byte) row.priority());
                message.putStringProperty(BrokerMessages.DOCUMENT_ID, documentId.toString());
                message.putStringProperty(BrokerMessages.ORGANIZATION, row.organization());
                message.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, duplicateId(documentId, row.organization()));
                p.producer().send(BrokerNames.organizationQueue(OrgCode.of(row.organization())), message);
            }
        });
    }

    /** The broker drops a second message with the same id for the same organization (within its id cache). */
    static SimpleString duplicateId(UUID documentId, String organization) {
        return SimpleString.of(documentId + ":" + organization);
    }

    private void markSent(List<Row> rows) {
        jdbc.update("UPDATE outbox SET sent_at = now() WHERE id = ANY (?)", (Object) rows.stream().map(Row::id).toArray(Long[]::new));
    }

    /** Sends what an earlier attempt, an outage or a crash left behind. */
    @Scheduled(fixedDelayString = "PT1S", initialDelayString = "PT2S")
    public void sweep() {
        // Rows younger than a few seconds are being sent by the submission that wrote them; sending
        // them here too would only meet the broker's duplicate detection.
        List<UUID> pending = jdbc.query("SELECT document_id FROM outbox WHERE sent_at IS NULL AND created_at < now() - interval '5 seconds' "
                + "GROUP BY document_id ORDER BY min(id) LIMIT 200", (rs, i) -> rs.getObject(1, UUID.class));
        int failures = 0;
        for (UUID id : pending) {
            if (!sendNow(id) && ++failures >= 3) {
                return; // the broker is down or refusing: the next sweep tries again
            }
        }
        if (!pending.isEmpty()) {
            log.info("outbox sweep sent the messages of {} documents", pending.size());
        }
    }

    @Override
    public void close() {
        for (Producer p : producers) {
            try {
                p.session().close();
            } catch (ActiveMQException ignored) {
                // closing anyway
            }
        }
        factory.close();
    }
}
