package dev.pouch.server.routing;

import dev.pouch.server.config.BrokerClient;
import dev.pouch.server.config.BrokerNames;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Queue depths as metrics, sampled from the broker every 15 seconds: each organization's queue
 * ({@code pouch.queue.depth{organization=…}}), their total ({@code pouch.queued.documents}), the dead letters, and the outbox rows
 * the relay has not yet handed to the broker.
 */
@Component
public class QueueDepths implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueueDepths.class);

    private final BrokerClient broker;
    private final Directory directory;
    private final JdbcTemplate jdbc;
    private final ClientSessionFactory factory;
    private final Map<String, AtomicLong> depths = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final AtomicLong outbox = new AtomicLong();

    public QueueDepths(BrokerClient broker, Directory directory, JdbcTemplate jdbc, MeterRegistry metrics) throws Exception {
        this.broker = broker;
        this.directory = directory;
        this.jdbc = jdbc;
        this.factory = broker.connect();
        for (Organization o : directory.all()) {
            AtomicLong depth = new AtomicLong();
            depths.put(o.code().value(), depth);
            Gauge.builder("pouch.queue.depth", depth, AtomicLong::get).tag("organization", o.code().value())
                    .description("Documents waiting in the organization's broker queue").register(metrics);
        }
        Gauge.builder("pouch.queued.documents", total, AtomicLong::get)
                .description("Documents waiting in all organizations' queues").register(metrics);
        Gauge.builder("pouch.dead.letters", deadLetters, AtomicLong::get)
                .description("Deliveries the broker gave up on").register(metrics);
        Gauge.builder("pouch.outbox.pending", outbox, AtomicLong::get)
                .description("Routing rows stored but not yet handed to the broker").register(metrics);
    }

    /** Samples every queue now; also useful to tests and the admin API. */
    @Scheduled(fixedDelayString = "PT15S", initialDelayString = "PT5S")
    public void sample() {
        try (ClientSession session = broker.session(factory, false, false)) {
            long sum = 0;
            for (Organization o : directory.all()) {
                long n = count(session, BrokerNames.organizationQueue(o.code()));
                depths.get(o.code().value()).set(n);
                sum += n;
            }
            total.set(sum);
            deadLetters.set(count(session, BrokerNames.DEAD_LETTERS));
        } catch (ActiveMQException e) {
            log.debug("cannot sample queue depths: {}", e.toString());
        }
        Long pending = jdbc.queryForObject("SELECT count(*) FROM outbox WHERE sent_at IS NULL", Long.class);
        outbox.set(pending == null ? 0 : pending);
    }

    /** The last sampled depth of an organization's queue. */
    public long depth(String organization) {
        AtomicLong d = depths.get(organization);
        return d == null ? 0 : d.get();
    }

    private static long count(ClientSession session, String queue) throws ActiveMQException {
        ClientSession.QueueQuery q = session.queueQuery(SimpleString.of(queue));
        return q.isExists() ? q.getMessageCount() : 0;
    }

    @Override
    public void close() {
        factory.close();
    }
}
