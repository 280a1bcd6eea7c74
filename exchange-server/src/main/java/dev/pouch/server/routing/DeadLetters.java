package dev.pouch.server.routing;

import dev.pouch.server.config.BrokerClient;
import dev.pouch.server.config.BrokerNames;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.springframework.stereotype.Service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Documents the broker gave up delivering after repeated failures, for administrators to see. */
@Service
public class DeadLetters implements AutoCloseable {

    /** One dead letter: which document, for whom, since when. */
    public record DeadLetter(String documentId, String organization, Instant at, int deliveryAttempts) {
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
                result.add(new DeadLetter(m.getStringProperty(BrokerMessages.DOCUMENT_ID), m.getStringProperty(BrokerMessages.ORGANIZATION),
                        Instant.ofEpochMilli(m.getTimestamp()), m.getDeliveryCount()));
            }
        } catch (ActiveMQException e) {
            throw new IllegalStateException("cannot browse the dead letters: " + e.getMessage(), e);
        }
        return result;
    }

    @Override
    public void close() {
        factory.close();
    }
}
