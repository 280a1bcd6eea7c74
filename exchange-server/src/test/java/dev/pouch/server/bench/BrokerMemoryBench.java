package dev.pouch.server.bench;

import dev.pouch.server.config.BrokerNames;
import dev.pouch.server.config.EmbeddedBroker;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * How much heap the embedded broker needs for a large backlog: a batch of {@code docs} documents to
 * {@code queues} organizations, queued the way {@code OutboxRelay} queues them (one durable broker
 * transaction per document, one small message per recipient with its duplicate-detection id),
 * first with no consumer (every office offline), then with a consumer on every queue taking
 * {@code drain} messages each (every office back, reading from the paged backlog). Prints the heap
 * after a full GC as it goes. Run it under the server's heap limit to see whether the backlog fits:
 *
 * <pre>
 * java -Xmx256m -cp $CP dev.pouch.server.bench.BrokerMemoryBench /tmp/broker-bench 1061 207 50
 * </pre>
 *
 * The broker is {@link EmbeddedBroker} with the server's settings ({@code pouch.broker.embedded-memory}
 * default 16 MiB unless a fifth argument gives another size in MiB).
 */
public final class BrokerMemoryBench {

    private BrokerMemoryBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int docs = Integer.parseInt(args[1]);
        int queues = Integer.parseInt(args[2]);
        int drain = Integer.parseInt(args[3]);
        long memory = (args.length > 4 ? Long.parseLong(args[4]) : 16) * 1024 * 1024; // the server's default
        // As the server's application.yml: Artemis's audit log would otherwise write a line per message.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.apache.activemq.audit"))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        if (Files.exists(dir.resolve("artemis"))) {
            throw new IllegalArgumentException(dir + " holds a broker already: give an empty directory");
        }
        System.out.printf(Locale.ROOT, "broker backlog: %,d documents x %d queues = %,d messages; heap limit %d MiB; broker memory %d MiB%n",
                docs, queues, (long) docs * queues, Runtime.getRuntime().maxMemory() >> 20, memory >> 20);
        heap("before the broker");
        long t0 = System.nanoTime();
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir, 5, Duration.ofSeconds(1), memory);
             ServerLocator locator = ActiveMQClient.createServerLocator(EmbeddedBroker.IN_VM_URL)
                     .setBlockOnDurableSend(true).setConsumerWindowSize(0);
             ClientSessionFactory factory = locator.createSessionFactory()) {
            List<String> names = new ArrayList<>();
            try (ClientSession admin = factory.createSession()) {
                for (int q = 0; q < queues; q++) {
                    String name = BrokerNames.ADDRESS_PREFIX + "org.BENCH-" + q;
                    names.add(name);
                    admin.createAddress(SimpleString.of(name), EnumSet.of(RoutingType.ANYCAST), false);
                    admin.createQueue(QueueConfiguration.of(name).setAddress(name).setRoutingType(RoutingType.ANYCAST).setDurable(true));
                }
            }
            heap("broker started, queues created");
            try (ClientSession session = factory.createSession(false, false)) {
                ClientProducer producer = session.createProducer();
                for (int d = 1; d <= docs; d++) {
                    UUID id = UUID.randomUUID();
                    for (String name : names) {
                        ClientMessage m = session.createMessage(true);
                        m.setPriority((byte) 4);
                        m.putStringProperty("pouch.document", id.toString());
                        m.putStringProperty("pouch.organization", name.substring(name.lastIndexOf('.') + 1));
                        m.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, SimpleString.of(id + ":" + name));
                        producer.send(name, m);
                    }
                    session.commit();
                    if (d % Math.max(1, docs / 10) == 0) {
                        heap(String.format(Locale.ROOT, "%,d documents queued (%.0f s)", d, (System.nanoTime() - t0) / 1e9));
                    }
                }
            }
            if (Boolean.getBoolean("bench.histogram")) {
                histogram();
            }
            long t1 = System.nanoTime();
            try (ClientSession session = factory.createSession(false, true)) {
                List<ClientConsumer> consumers = new ArrayList<>();
                for (String name : names) {
                    consumers.add(session.createConsumer(name));
                }
                session.start();
                long taken = 0;
                for (int round = 0; round < drain; round++) {
                    for (ClientConsumer c : consumers) {
                        ClientMessage m = c.receive(10_000);
                        if (m == null) {
                            throw new IllegalStateException("a queue gave nothing within 10 s");
                        }
                        m.acknowledge();
                        taken++;
                    }
                    if (round == 0) {
                        heap("a consumer on every queue, first message each");
                    }
                }
                heap(String.format(Locale.ROOT, "%,d messages taken, %d per queue (%.0f s)", taken, drain, (System.nanoTime() - t1) / 1e9));
            }
        }
        System.out.printf(Locale.ROOT, "done in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** The classes holding most of the heap (what {@code jcmd PID GC.class_histogram} shows), top 25. */
    private static void histogram() throws Exception {
        var server = ManagementFactory.getPlatformMBeanServer();
        var name = new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand");
        String out = (String) server.invoke(name, "gcClassHistogram", new Object[] {null}, new String[] {String[].class.getName()});
        out.lines().limit(28).forEach(System.out::println);
    }

    private static void heap(String when) {
        System.gc();
        MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.printf(Locale.ROOT, "  %-60s heap used after GC %6.1f MiB of %d MiB%n", when, h.getUsed() / 1048576.0, h.getMax() >> 20);
    }
}
