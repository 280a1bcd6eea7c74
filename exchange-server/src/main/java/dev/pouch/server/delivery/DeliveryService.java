package dev.pouch.server.delivery;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.protocol.message.Deliver;
import dev.pouch.protocol.message.DeliverAck;
import dev.pouch.protocol.message.Message;
import dev.pouch.protocol.message.Notice;
import dev.pouch.protocol.message.NoticeAck;
import dev.pouch.protocol.message.PartRef;
import dev.pouch.protocol.message.StreamPurpose;
import dev.pouch.protocol.transport.ConnectionClosedException;
import dev.pouch.protocol.transport.Session;
import dev.pouch.server.archive.BlobStore;
import dev.pouch.server.archive.DocumentRepository;
import dev.pouch.server.archive.StoredDocument;
import dev.pouch.server.audit.AuditLog;
import dev.pouch.server.config.BrokerClient;
import dev.pouch.server.config.BrokerNames;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.notice.NoticeService;
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
import java.util.concurrent.ExecutionException;
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
    private final NoticeService notices;
    private final BlobStore blobs;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration ackTimeout;
    private final Duration retryDelay;
    private final int maxDeliveryAttempts;
    private final Timer latency;
    private final MeterRegistry metrics;
    private final Map<OrgCode, OrganizationConsumer> consumers = new ConcurrentHashMap<>();
    /** How long a consumer waits for a message before it looks whether it should stop. */
    private static final Duration POLL = Duration.ofMillis(500);

    public DeliveryService(BrokerClient broker, DocumentRepository documents, BlobStore blobs, AuditLog audit,
            TransactionTemplate tx, Clock clock, PouchProperties properties, MeterRegistry metrics, NoticeService notices)
            throws Exception {
        this.notices = notices;
        this.broker = broker;
        this.factory = broker.connect();
        this.documents = documents;
        this.blobs = blobs;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
        this.ackTimeout = properties.delivery().ackTimeout();
        this.retryDelay = properties.broker().redeliveryDelay();
        this.maxDeliveryAttempts = properties.broker().maxDeliveryAttempts();
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

    /**
     * One organization's queue, consumed by a thread of its own while the organization has a
     * session here: one document in flight at a time, highest precedence first. Waiting for a
     * slow office's acknowledgement (a large document over a poor link can take minutes) holds
     * only this thread, never one the broker client or another office needs.
     */
    private final class OrganizationConsumer {
        final OrgCode organization;
        final List<Session> sessions = new CopyOnWriteArrayList<>();
        private volatile boolean stopped;
        private Thread thread;

        OrganizationConsumer(OrgCode organization) {
            this.organization = organization;
        }

        void start() {
            thread = Thread.ofPlatform().name("pouch-deliver-" + organization.value()).daemon().start(this::run);
        }

        void stop() {
            stopped = true;
        }

        void awaitStopped(Duration timeout) {
            try {
                thread.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            while (!stopped) {
                try (ClientSession brokerSession = broker.session(factory, false, true)) {
                    ClientConsumer consumer = brokerSession.createConsumer(BrokerNames.organizationQueue(organization));
                    brokerSession.start();
                    while (!stopped) {
                        ClientMessage message = consumer.receive(POLL.toMillis());
                        if (message != null && !deliverOne(brokerSession, message)) {
                            break; // closing the broker session returns the message, uncounted
                        }
                    }
                    if (!stopped) {
                        sleep(POLL); // the office's connection is going; its disconnect will stop this consumer
                    }
                } catch (ActiveMQException e) {
                    if (!stopped) {
                        log.warn("consuming the queue of {} failed: {}; starting again", organization, e.toString());
                        sleep(retryDelay);
                    }
                }
            }
        }

        /**
         * Pushes one queued document and acknowledges it to the broker once the client has. If the
         * client refuses it or does not answer, the broker gets it back as a failed delivery
         * (rollback: it counts towards the dead letters, after the redelivery delay).
         *
         * @return false if the office's connection is gone: the message should go back uncounted
         */
        private boolean deliverOne(ClientSession brokerSession, ClientMessage message) throws ActiveMQException {
            String noticeId = message.getStringProperty(BrokerMessages.NOTICE_ID);
            UUID id = UUID.fromString(noticeId != null ? noticeId : message.getStringProperty(BrokerMessages.DOCUMENT_ID));
            Optional<Session> session = sessions.stream().filter(Session::isOpen).findFirst();
            if (session.isEmpty()) {
                return false;
            }
            try {
                if (noticeId != null) {
                    deliverNotice(session.get(), organization, id);
                } else {
                    deliver(session.get(), organization, id);
                }
            } catch (Exception e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof ConnectionClosedException || !session.get().isOpen()) {
                    log.info("the connection of {} closed while {} was delivered; it stays queued", organization, id);
                    return false;
                }
                failed(message, session.get(), id, cause);
                brokerSession.rollback(true); // true: this delivery counts towards the dead letters
                return true;
            }
            message.acknowledge();
            brokerSession.commit();
            return true;
        }

        private void failed(ClientMessage message, Session session, UUID id, Throwable cause) {
            metrics.counter("pouch.deliveries", "outcome", "failed").increment();
            boolean last = message.getDeliveryCount() >= maxDeliveryAttempts;
            if (last) {
                log.warn("delivery of {} to {} failed {} times ({}); it goes to the dead letters", id, organization,
                        message.getDeliveryCount(), cause.toString());
            } else {
                log.info("delivery of {} to {} failed ({}); it will be delivered again", id, organization, cause.toString());
            }
            tx.executeWithoutResult(s -> {
                audit.record(session.peer().toString(), AuditLog.Action.DELIVERY_FAILED, id.toString(),
                        AuditLog.Outcome.FAILED, cause.toString());
                if (last) {
                    audit.record(Identity.exchange().toString(), AuditLog.Action.DEAD_LETTER, id.toString(),
                            AuditLog.Outcome.FAILED, organization.value() + " after " + message.getDeliveryCount() + " attempts");
                }
            });
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Pushes one document and waits for the client's acknowledgement (nothing to do for a stray message). */
    private void deliver(Session session, OrgCode organization, UUID id) throws Exception {
        Optional<StoredDocument> found = documents.find(id);
        if (found.isEmpty() || documents.recipient(id, organization).isEmpty()) {
            log.warn("queue of {} held {}, which is not addressed to it; dropping the message", organization, id);
            return;
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
    }

    /** Pushes one notice and waits for the client's acknowledgement (nothing to do for a stray message). */
    private void deliverNotice(Session session, OrgCode organization, UUID id) throws Exception {
        Optional<Notice> notice = notices.find(id, organization);
        if (notice.isEmpty()) {
            log.warn("queue of {} held notice {}, which is not addressed to it; dropping the message", organization, id);
            return;
        }
        Message answer = session.request(notice.get(), ackTimeout).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!(answer instanceof NoticeAck ack) || !ack.noticeId().equals(id)) {
            throw new IllegalStateException("expected the acknowledgement of notice " + id + ", got " + answer);
        }
        Instant now = clock.instant();
        tx.executeWithoutResult(s -> {
            notices.delivered(id, now);
            audit.record(session.peer().toString(), AuditLog.Action.NOTICE_DELIVERED, notice.get().documentId().toString(),
                    AuditLog.Outcome.OK, organization.value() + " " + notice.get().kind() + " " + id);
        });
        metrics.counter("pouch.notices", "outcome", "delivered").increment();
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
        consumers.values().forEach(c -> c.awaitStopped(POLL.multipliedBy(4)));
        factory.close();
    }
}
