package dev.pouch.server.routing;

import dev.pouch.server.config.BrokerClient;
import dev.pouch.server.config.BrokerNames;
import dev.pouch.crypto.document.OrgCode;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Documents the broker gave up delivering after repeated failures, for administrators to see. */
@Service
public class DeadLetters implements AutoCloseable {

    /** One dead letter: which document, for whom, since when. */
    /**
     * One dead letter: a document, or a notice (then {@code documentId} is the notice's id and
     * {@code kind} says so).
     */
    public record DeadLetter(String documentId, String organization, Instant at, int deliveryAttempts, String kind) {
    }

    private final BrokerClient broker;
    private final ClientSessionFactory factory;

    public DeadLetters(BrokerClient broker) throws Exception {
        this.broker = broker;
        this.factory = broker.connect();
    }

    /** Browses (without consuming) up to {@code limit} dead letters. */
    public List<DeadLetter> list(int limit) {
        List<DeadLetter> result = new ArrayList<>();
        try (ClientSession session = broker.session(factory, false, false)) {
            ClientConsumer browser = session.createConsumer(BrokerNames.DEAD_LETTERS, true);
            session.start();
            ClientMessage m;
            while (result.size() < limit && (m = browser.receive(200)) != null) {
                String notice = m.getStringProperty(BrokerMessages.NOTICE_ID);
                result.add(new DeadLetter(notice != null ? notice : m.getStringProperty(BrokerMessages.DOCUMENT_ID),
                        m.getStringProperty(BrokerMessages.ORGANIZATION), Instant.ofEpochMilli(m.getTimestamp()), m.getDeliveryCount(),
                        notice != null ? "notice" : "document"));
            }
        } catch (ActiveMQException e) {
            throw new IllegalStateException("cannot browse the dead letters: " + e.getMessage(), e);
        }
        return result;
    }

    /**
     * Puts a dead letter (a document or a notice, by its id) back on its organization's queue (after the cause was fixed), in one
     * broker transaction: it leaves the dead letters exactly when it is queued again.
     *
     * @return false if there was no such dead letter
     */
    public boolean retry(UUID documentId, OrgCode organization) {
        String filter = "(" + BrokerMessages.DOCUMENT_ID + " = '" + documentId + "' OR " + BrokerMessages.NOTICE_ID + " = '"
                + documentId + "') AND " + BrokerMessages.ORGANIZATION + " = '" + organization.value() + "'";
        try (ClientSession session = broker.session(factory, true, true)) {
            ClientConsumer consumer = session.createConsumer(SimpleString.of(BrokerNames.DEAD_LETTERS), SimpleString.of(filter));
            ClientProducer producer = session.createProducer();
            session.start();
            ClientMessage m = consumer.receive(1000);
            if (m == null) {
                session.rollback();
                return false;
            }
            m.acknowledge();
            ClientMessage again = session.createMessage(true);
            again.setPriority(m.getPriority());
            boolean notice = m.getStringProperty(BrokerMessages.NOTICE_ID) != null;
            again.putStringProperty(notice ? BrokerMessages.NOTICE_ID : BrokerMessages.DOCUMENT_ID, documentId.toString());
            again.putStringProperty(BrokerMessages.ORGANIZATION, organization.value());
            producer.send(BrokerNames.organizationQueue(organization), again);
            session.commit();
            return true;
        } catch (ActiveMQException e) {
            throw new IllegalStateException("cannot retry the dead letter: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}
