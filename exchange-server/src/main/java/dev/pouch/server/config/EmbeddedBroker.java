package dev.pouch.server.config;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;

/**
 * An embedded Artemis broker with a persistent, synchronously written journal under
 * {@code dataDir/artemis}, reachable only in this JVM ({@code vm://0}). A message that fails
 * delivery {@code maxDeliveryAttempts} times moves to {@link BrokerNames#DEAD_LETTERS}.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    public static final String IN_VM_URL = "vm://0";
    /** Messages (and bytes) a queue reads ahead from its pages into the heap. */
    static final int PAGE_READ_MESSAGES = 32;
    static final int PAGE_READ_BYTES = 256 * 1024;
    /** The size of one page file; the one being written is also held in the heap. */
    static final int PAGE_BYTES = 64 * 1024;
    /** Duplicate-detection ids remembered per address (per organization's queue). */
    static final int DUPLICATE_ID_WINDOW = 256;

    private final EmbeddedActiveMQ broker;

    private EmbeddedBroker(EmbeddedActiveMQ broker) {
        this.broker = broker;
    }

    public static EmbeddedBroker start(Path dataDir, int maxDeliveryAttempts, Duration redeliveryDelay, long memoryBytes) {
        NettyRuntime.requireBufferCleaning();
        Path dir = dataDir.resolve("artemis").toAbsolutePath();
        Configuration config = new ConfigurationImpl()
                .setName("pouch-embedded")
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setJournalSyncTransactional(true)
                .setJournalSyncNonTransactional(true)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setGracefulShutdownEnabled(true)
                // Artemis's default keeps messages in up to half the heap before paging: with a
                // 256 MiB heap and a large batch queued that is what ran the server out of memory.
                .setGlobalMaxSize(memoryBytes);
        try {
            config.addAcceptorConfiguration("in-vm", IN_VM_URL);
        } catch (Exception e) {
            throw new IllegalStateException("cannot configure the in-VM acceptor", e);
        }
        config.addAddressSetting(BrokerNames.ADDRESS_PREFIX + "#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(BrokerNames.DEAD_LETTERS))
                .setExpiryAddress(SimpleString.of(BrokerNames.DEAD_LETTERS))
                .setMaxDeliveryAttempts(maxDeliveryAttempts)
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                // What a queue reads back from its pages into the heap. Artemis's default (20 MB per
                // queue, as many messages as fit) is per queue: with a batch queued for 207 offices every
                // queue held its whole paged backlog in the heap again (BrokerMemoryBench: 1,061 x 207
                // messages took 483 MiB). A delivery takes one message at a time, so a few dozen ahead
                // per queue is plenty.
                // The page being written stays in the heap until it is full (Artemis's default is 10 MiB
                // per address): small pages keep that to ~150 messages per queue.
                .setPageSizeBytes(PAGE_BYTES)
                .setMaxReadPageMessages(PAGE_READ_MESSAGES)
                .setMaxReadPageBytes(PAGE_READ_BYTES)
                .setPrefetchPageMessages(PAGE_READ_MESSAGES / 2)
                .setPrefetchPageBytes(PAGE_READ_BYTES / 2)
                // Duplicate detection is a window (PostgreSQL is the idempotency): it only has to cover
                // the messages the outbox relay committed but had not yet marked sent when it stopped,
                // a few documents per queue. Artemis's default of 20,000 ids per address, kept in the
                // heap and the journal, was ~250 bytes per queued message for 207 queues.
                .setIDCacheSize(DUPLICATE_ID_WINDOW)
                .setRedeliveryDelay(redeliveryDelay.toMillis())
                .setDefaultAddressRoutingType(RoutingType.ANYCAST)
                .setDefaultQueueRoutingType(RoutingType.ANYCAST)
                .setAutoCreateAddresses(false)
                .setAutoCreateQueues(false));
        config.addQueueConfiguration(QueueConfiguration.of(BrokerNames.DEAD_LETTERS)
                .setAddress(BrokerNames.DEAD_LETTERS).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        try {
            broker.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the embedded Artemis broker in " + dir + ": " + e.getMessage(), e);
        }
        log.info("Embedded Artemis broker with its journal in {}", dir);
        return new EmbeddedBroker(broker);
    }

    @Override
    public void close() {
        try {
            broker.stop();
        } catch (Exception e) {
            log.warn("stopping the embedded broker failed: {}", e.toString());
        }
    }
}
