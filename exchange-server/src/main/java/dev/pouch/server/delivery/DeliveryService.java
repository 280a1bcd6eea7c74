package dev.pouch.server.delivery;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.protocol.message.Deliver;
import dev.pouch.protocol.message.DeliverAck;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.PartRef;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.transport.Session;
import dev.pouch.server.archive.BlobStore;
import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.archive.StoredDocument;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.BrokerClient;
import dev.pouch.server.config.BrokerNames;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.routing.BrokerMessages;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Pushes documents to the offices connected to this node. For each organization with a session
 * here, one broker consumer takes its queue (highest precedence first) and hands each document to
 * one of its sessions: a {@code Deliver} request, then the sealed main object as a stream. The
 * broker message is acknowledged only after the client's {@code DeliverAck}, i.e. once the client
 * has persisted the document; if anything fails, the consumer is closed so the broker delivers the
 * message again (and dead-letters it after repeated failures).
 */
@Service
public class DeliveryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);

    private final BrokerClient broker;
    private final ClientSessionFactory factory;
    private final DocumentRepository documents;
    private final BlobStore blobs;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration ackTimeout;
    private final Duration retryDelay;
    private final Timer latency;
    private final MeterRegistry metrics;
    private final Map<OrgCode, OrganizationConsumer> consumers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pouch-delivery-retry");
        t.setDaemon(true);
        return t;
    });

    public DeliveryService(BrokerClient broker, DocumentRepository documents, BlobStore blobs, AuditLog audit,
            TransactionTemplate tx, Clock clock, PouchProperties properties, MeterRegistry metrics) throws Exception {
        this.broker = broker;
        this.factory = broker.connect();
        this.documents = documents;
        this.blobs = blobs;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.ackTimeout = properties.delivery().ackTimeout();
        this.retryDelay = properties.broker().redeliveryDelay();
        this.metrics = metrics;
        this.latency = Timer.builder("pouch.delivery.latency").description("From acceptance to the recipient's acknowledgement")
                .publishPercentiles(0.5, 0.95, 0.99).register(metrics);
        metrics.gauge("pouch.connected.organizations", consumers, Map::size);
    }

    /** An office's session is established on this node. */
    public void connected(Session session, OrgCode organization) {
        consumers.compute(organization, (org, existing) -> {
            OrganizationConsumer c = existing != null ? existing : new OrganizationConsumer(org);
            c.sessions.add(session);
            if (existing == null) {
                c.start();
            }
            return c;
        });
    }

    public void disconnected(Session session, OrgCode organization) {
        consumers.computeIfPresent(organization, (org, c) -> {
            c.sessions.remove(session);
            if (c.sessions.isEmpty()) {
                c.stop();
                return null;
            }
            return c;
        });
    }

    /** Organizations with at least one session on this node. */
    public int connectedOrganizations() {
        return consumers.size();
    }

    private final class OrganizationConsumer {
        final OrgCode organization;
        final List<Session> sessions = new CopyOnWriteArrayList<>();
        private ClientSession brokerSession;
        private volatile boolean stopped;

        OrganizationConsumer(OrgCode organization) {
            this.organization = organization;
        }

        synchronized void start() {
            if (stopped) {
                return;
            }
            try {
                brokerSession = broker.session(factory, false, false);
                ClientConsumer consumer = brokerSession.createConsumer(BrokerNames.organizationQueue(organization));
                consumer.setMessageHandler(this::onMessage);
                brokerSession.start();
            } catch (ActiveMQException e) {
                log.warn("cannot consume the queue of {}: {}; retrying", organization, e.toString());
                closeBrokerSession();
                retries.schedule(this::start, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        synchronized void stop() {
            stopped = true;
            closeBrokerSession();
        }

        private void closeBrokerSession() {
            if (brokerSession != null) {
                try {
                    brokerSession.close(); // unacknowledged messages go back to the queue
                } catch (ActiveMQException ignored) {
                    // already broken
                }
                brokerSession = null;
            }
        }

        /** Closes the consumer (returning the message to the queue) and starts again after the redelivery delay. */
        private void restart() {
            synchronized (this) {
                closeBrokerSession();
            }
            if (!stopped) {
                retries.schedule(this::start, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void onMessage(ClientMessage message) {
            UUID id = UUID.fromString(message.getStringProperty(BrokerMessages.DOCUMENT_ID));
            Optional<Session> session = sessions.stream().filter(Session::isOpen).findFirst();
            if (session.isEmpty()) {
                retries.execute(this::restart);
                return;
            }
            try {
                boolean done = deliver(session.get(), organization, id);
                if (done) {
                    message.acknowledge();
                }
            } catch (Exception e) {
                metrics.counter("pouch.deliveries", "outcome", "failed").increment();
                log.info("delivery of {} to {} failed ({}); it will be delivered again", id, organization, e.toString());
                tx.executeWithoutResult(s -> audit.record(session.get().peer().toString(), AuditLog.Action.DELIVERY_FAILED,
                        id.toString(), AuditLog.Outcome.FAILED, e.toString()));
                retries.execute(this::restart);
            }
        }
    }

    /** Pushes one document and waits for the client's acknowledgement. False if there is nothing to deliver. */
    private boolean deliver(Session session, OrgCode organization, UUID id) throws Exception {
        Optional<StoredDocument> found = documents.find(id);
        if (found.isEmpty() || documents.recipient(id, organization).isEmpty()) {
            log.warn("queue of {} held {}, which is not addressed to it; dropping the message", organization, id);
            return true;
        }
        StoredDocument d = found.get();
        List<PartRef> parts = new ArrayList<>();
        var stored = documents.parts(id);
        for (int i = 0; i < stored.size(); i++) {
            parts.add(new PartRef(i, partStreamId(id, i), stored.get(i).size()));
        }
        String mainStream = mainStreamId(id);
        var reply = session.request(new Deliver(id, mainStream, d.mainSize(), parts, d.precedence(), d.acceptedAt()), ackTimeout);
        var stream = session.sendStream(mainStream, StreamPurpose.DOWNLOAD, blobs.source(d.mainBlob()), 0);
        Message answer = reply.get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!(answer instanceof DeliverAck ack) || !ack.documentId().equals(id)) {
            throw new IllegalStateException("expected the acknowledgement of " + id + ", got " + answer);
        }
        stream.whenComplete((v, e) -> {
            if (e != null) {
                log.debug("stream of {} ended with {} after the client acknowledged", id, e.toString());
            }
        });
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            documents.markDelivered(id, organization, now);
            audit.record(session.peer().toString(), AuditLog.Action.DELIVERED, id.toString(), AuditLog.Outcome.OK, organization.value());
        });
        latency.record(Duration.between(d.acceptedAt(), now));
        metrics.counter("pouch.deliveries", "outcome", "delivered").increment();
        return true;
    }

    public static String mainStreamId(UUID id) {
        return id + "/main";
    }

    public static String partStreamId(UUID id, int index) {
        return id + "/part-" + String.format("%05d", index);
    }

    @Override
    public void close() {
        consumers.values().forEach(OrganizationConsumer::stop);
        retries.shutdownNow();
        factory.close();
    }
}
