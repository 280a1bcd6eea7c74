package dev.pouch.server.crash;

import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.protocol.message.SubmitAck;
import dev.pouch.server.testing.Https;
import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.ServerProcess;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nothing acknowledged is ever lost. The server runs as its own process from the packaged jar;
 * HQ-EUR submits a steady stream of notices to FR-EMB and DE-EMB, retrying each (same id, same
 * upload stream) until it is acknowledged, as a real client does. The test kills the server with
 * SIGKILL at random moments — once together with its PostgreSQL — and starts it again. In the
 * end every document the client created is stored exactly once and has reached both offices;
 * documents delivered twice are counted (and recognised by id), never lost.
 */
class CrashIT {

    private static final Logger log = LoggerFactory.getLogger(CrashIT.class);
    private static final int KILLS = 3;

    @Test
    void every_acknowledged_document_survives_kill_minus_nine_and_is_delivered() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        log.info("crash test seed {}", seed);
        Path dir = TestServer.tempDir();
        try (ServerProcess server = new ServerProcess(dir).start()) {
            Credentials hqCredentials = server.demo("HQ-EUR", "wang.fang");
            X509Certificate root = hqCredentials.trustAnchors().getFirst();
            TestOffice.Keys hqKeys = TestOffice.Keys.of(hqCredentials);
            List<TestOffice> offices = new ArrayList<>();
            try {
                TestOffice hq = track(offices, TestOffice.connect(hqKeys, root, "127.0.0.1", server.exchangePort()));
                TestOffice fr = track(offices, TestOffice.connect(TestOffice.Keys.of(server.demo("FR-EMB", "marie.dupont")), root,
                        "127.0.0.1", server.exchangePort()));
                TestOffice de = track(offices, TestOffice.connect(TestOffice.Keys.of(server.demo("DE-EMB", "klaus.weber")), root,
                        "127.0.0.1", server.exchangePort()));
                hq.awaitConnected();
                fr.awaitConnected();
                de.awaitConnected();

                Map<UUID, SubmitAck> acknowledged = new ConcurrentHashMap<>();
                Map<String, String> lastFailure = new ConcurrentHashMap<>();
                Set<UUID> created = ConcurrentHashMap.newKeySet();
                AtomicInteger failedAttempts = new AtomicInteger();
                AtomicBoolean stop = new AtomicBoolean();
                List<Thread> senders = new ArrayList<>();
                for (int t = 0; t < 2; t++) {
                    senders.add(Thread.ofPlatform().name("sender-" + t).start(() -> {
                        while (!stop.get()) {
                            Letters.Letter l = Letters.notice("HQ-EUR", List.of("FR-EMB", "DE-EMB"), Letters.text(16 * 1024));
                            created.add(l.id());
                            byte[] sealed = null;
                            String stream = "crash/" + l.id();
                            while (!acknowledged.containsKey(l.id())) {
                                try {
                                    if (sealed == null) {
                                        sealed = hq.seal(l.header(), l.content());
                                    }
                                    acknowledged.put(l.id(), hq.submitSealed(l.id(), sealed, stream));
                                } catch (RuntimeException | AssertionError e) {
                                    failedAttempts.incrementAndGet();
                                    String why = l.id() + ": " + e;
                                    if (!why.equals(lastFailure.put(Thread.currentThread().getName(), why))) {
                                        log.info("{} retries {}", Thread.currentThread().getName(), why);
                                    }
                                    sleep(200);
                                }
                            }
                        }
                    }));
                }

                int restartedWith = 0;
                for (int k = 1; k <= KILLS; k++) {
                    // Each kill comes amid traffic: after the (restarted) server has acknowledged a few
                    // more documents, however slow a busy machine makes it, then at a random moment.
                    awaitProgress(acknowledged, restartedWith + 3, lastFailure);
                    sleep(random.nextInt(3000));
                    int before = acknowledged.size();
                    server.kill();
                    if (k == 2) {
                        server.killPostgres();
                    }
                    log.info("kill {}: SIGKILL after {} acknowledged documents{}", k, before, k == 2 ? " (and its PostgreSQL)" : "");
                    server.start();
                    restartedWith = acknowledged.size();
                }
                awaitProgress(acknowledged, restartedWith + 3, lastFailure); // the last start takes documents again
                stop.set(true);
                for (Thread s : senders) {
                    s.join(Duration.ofMinutes(3));
                    assertThat(s.isAlive()).as("%s still waits for an acknowledgement; last failure: %s",
                            s.getName(), lastFailure.get(s.getName())).isFalse();
                }
                assertThat(acknowledged.keySet()).isEqualTo(created);
                assertThat(created.size()).isGreaterThan(10);

                // Stored exactly once: the documents HQ-EUR created, no more, no fewer.
                Set<UUID> stored = new HashSet<>();
                try (Connection c = DriverManager.getConnection(server.jdbcUrl(), "pouch_app", server.appPassword());
                     Statement s = c.createStatement();
                     ResultSet r = s.executeQuery("SELECT id FROM document WHERE issuer = 'HQ-EUR'")) {
                    while (r.next()) {
                        assertThat(stored.add(r.getObject(1, UUID.class))).isTrue();
                    }
                }
                assertThat(stored).isEqualTo(created);

                // Delivered to both offices, each verified on arrival.
                for (UUID id : created) {
                    fr.awaitDocument(id, Duration.ofSeconds(90));
                    de.awaitDocument(id, Duration.ofSeconds(90));
                }
                assertThat(fr.failures()).isEmpty();
                assertThat(de.failures()).isEmpty();
                log.info("crash test: {} documents, {} failed attempts retried, {} + {} duplicate deliveries recognised by id",
                        created.size(), failedAttempts.get(), fr.duplicates(), de.duplicates());

                // The audit chain came through the crashes intact.
                Credentials admin = server.demo("HQ-GO", "admin");
                Https rest = Https.as(admin.require(CredentialRole.TLS), root, server.httpsPort());
                Https.Response report = rest.get("/api/admin/audit/verify");
                assertThat(report.json().get("intact").asBoolean()).as(report.body()).isTrue();
            } finally {
                offices.forEach(TestOffice::close);
            }
            server.stop();
        }
        TestServer.deleteTree(dir);
    }

    private static TestOffice track(List<TestOffice> offices, TestOffice office) {
        offices.add(office);
        return office;
    }

    /** Waits (at most two minutes) until {@code count} documents are acknowledged. */
    private static void awaitProgress(Map<UUID, SubmitAck> acknowledged, int count, Map<String, String> lastFailure) {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (acknowledged.size() < count) {
            assertThat(System.nanoTime()).as("%d of %d documents acknowledged; last failures: %s", acknowledged.size(), count,
                    lastFailure).isLessThan(deadline);
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
