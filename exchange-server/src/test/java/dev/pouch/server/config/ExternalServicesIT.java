package dev.pouch.server.config;

import dev.pouch.server.testing.Letters;
import dev.pouch.server.testing.TestOffice;
import dev.pouch.server.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code pouch.db.url} and {@code pouch.broker.url} the server starts neither embedded
 * service and uses the ones it is given — here a PostgreSQL and an Artemis broker (reached over
 * TCP) that the test runs as an operator would, with the roles an operator creates.
 */
class ExternalServicesIT {

    @Test
    void the_server_uses_the_given_database_and_broker_and_starts_neither_of_its_own() throws Exception {
        Path dir = TestServer.tempDir();
        int brokerPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            brokerPort = s.getLocalPort();
        }
        Files.writeString(dir.resolve("app.password"), "app-secret-1");
        Files.writeString(dir.resolve("owner.password"), "owner-secret-2");

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("external-pg"))
                .setCleanDataDirectory(true).start()) {
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE exchange_owner LOGIN PASSWORD 'owner-secret-2'");
                s.execute("CREATE ROLE exchange_app LOGIN PASSWORD 'app-secret-1'");
                // The role the shared archive's reads run under, as docs/operations.md tells a DBA to create it.
                s.execute("CREATE ROLE pouch_viewer NOLOGIN NOBYPASSRLS");
                s.execute("GRANT pouch_viewer TO exchange_app");
                s.execute("CREATE DATABASE exchange OWNER exchange_owner ENCODING 'UTF8' LOCALE_PROVIDER builtin "
                        + "BUILTIN_LOCALE 'C.UTF-8' TEMPLATE template0");
            }
            try (Connection c = postgres.getDatabase("postgres", "exchange").getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE EXTENSION pg_trgm");
                s.execute("CREATE EXTENSION unaccent");
            }
            EmbeddedActiveMQ broker = startBroker(dir.resolve("external-artemis"), brokerPort);
            try (TestServer server = TestServer.start(dir.resolve("node"),
                    "--pouch.db.url=jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/exchange",
                    "--pouch.db.username=exchange_app", "--pouch.db.password-file=" + dir.resolve("app.password"),
                    "--pouch.db.owner-username=exchange_owner", "--pouch.db.owner-password-file=" + dir.resolve("owner.password"),
                    "--pouch.broker.url=tcp://127.0.0.1:" + brokerPort)) {
                assertThat(dir.resolve("node/postgres")).doesNotExist();
                assertThat(dir.resolve("node/artemis")).doesNotExist();
                assertThat(server.jdbc().queryForObject("SELECT current_user", String.class)).isEqualTo("exchange_app");
                assertThat(server.jdbc().queryForObject("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
                        Boolean.class)).isFalse();

                TestOffice hq = server.office("HQ-EUA").awaitConnected();
                TestOffice kz = server.office("KZ-EMB").awaitConnected();
                Letters.Letter l = Letters.notice("HQ-EUA", List.of("KZ-EMB"), "Хабарлама — уведомление — notice");
                hq.send(l.header(), l.content());
                assertThat(kz.awaitDocument(l.id(), Duration.ofSeconds(20)).content()).isEqualTo(l.content());
                assertThat(broker.getActiveMQServer().locateQueue(SimpleString.of("pouch.org.KZ-EMB"))).isNotNull();
            } finally {
                broker.stop();
            }
        }
        TestServer.deleteTree(dir);
    }

    private static EmbeddedActiveMQ startBroker(Path dir, int port) throws Exception {
        Configuration config = new ConfigurationImpl().setName("external").setPersistenceEnabled(true)
                .setJournalDirectory(dir.resolve("journal").toString()).setBindingsDirectory(dir.resolve("bindings").toString())
                .setLargeMessagesDirectory(dir.resolve("large").toString()).setPagingDirectory(dir.resolve("paging").toString())
                .setSecurityEnabled(false).setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.addAddressSetting("pouch.#", new AddressSettings().setDeadLetterAddress(SimpleString.of("pouch.dead-letters"))
                .setMaxDeliveryAttempts(5).setDefaultAddressRoutingType(RoutingType.ANYCAST));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        return broker;
    }
}
