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
