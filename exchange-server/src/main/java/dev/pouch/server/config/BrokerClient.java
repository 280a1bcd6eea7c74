package dev.pouch.server.config;

import dev.pouch.crypto.Password;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

import java.util.Optional;

/**
 * How this node talks to the broker (embedded or external): one locator, and sessions opened
 * with the configured credentials. Blocking durable sends and acknowledgements, no consumer
 * buffering, reconnecting for ever.
 */
public final class BrokerClient {

    private final ServerLocator locator;
    private final String username;
    private final Optional<Password> password;

    BrokerClient(ServerLocator locator, String username, Optional<Password> password) {
        this.locator = locator;
        this.username = username == null || username.isBlank() ? null : username;
        this.password = password;
    }

    /** A connection to the broker (a factory of sessions); close it when done. */
    public ClientSessionFactory connect() throws Exception {
        return locator.createSessionFactory();
    }

    /**
     * A session on {@code factory}.
     *
     * @param transactedSends  sends wait for {@code commit()}
     * @param transactedAcks   acknowledgements wait for {@code commit()}
     */
    public ClientSession session(ClientSessionFactory factory, boolean transactedSends, boolean transactedAcks)
            throws ActiveMQException {
        return factory.createSession(username, password.map(Secrets::reveal).orElse(null), false,
                !transactedSends, !transactedAcks, locator.isPreAcknowledge(), locator.getAckBatchSize());
    }

    void close() {
        locator.close();
    }
}
