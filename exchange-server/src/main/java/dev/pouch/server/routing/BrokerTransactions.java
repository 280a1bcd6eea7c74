package dev.pouch.server.routing;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/**
 * One broker transaction of durable sends, as both relays make them: the sends, then the commit;
 * on failure a rollback. A transaction the broker rejects for a duplicate-detection id holds a
 * message the broker already has (an earlier commit whose row was not yet marked sent), which the
 * caller treats as sent; any other failure is thrown.
 */
final class BrokerTransactions {

    @FunctionalInterface
    interface Sends {
        void run() throws ActiveMQException;
    }

    enum Outcome { COMMITTED, DUPLICATE }

    private BrokerTransactions() {
    }

    static Outcome commit(ClientSession session, Sends sends) throws ActiveMQException {
        try {
            sends.run();
            session.commit();
            return Outcome.COMMITTED;
        } catch (ActiveMQException e) {
            try {
                session.rollback();
            } catch (ActiveMQException ignored) {
                // the session is broken; the caller reports the first failure
            }
            if (e.getType() == ActiveMQExceptionType.DUPLICATE_ID_REJECTED) {
                return Outcome.DUPLICATE;
            }
            throw e;
        }
    }
}
