package dev.pouch.server.config;

import dev.pouch.server.testing.TestServer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL asks every connection for a password: no process on the machine gets in
 * as the superuser (past row-level security and the audit log) or as the application without one —
 * in a new cluster, and in one created before passwords were required (the library trusts every
 * local connection).
 */
class EmbeddedDatabaseIT {

    private final Path dir = TestServer.tempDir();

    @AfterEach
    void cleanUp() {
        TestServer.deleteTree(dir);
    }

    @Test
    void a_new_cluster_refuses_connections_without_the_password() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, "pouch_app", "pouch_owner", "pouch_viewer")) {
            assertPasswordsRequired(db);
        }
        assertThat(Files.readAllLines(dir.resolve("postgres/pg_hba.conf")).getFirst()).isEqualTo(EmbeddedDatabase.HBA_MARKER);
        // A rule trusting loopback slipped in by hand: written over at the next start, same passwords.
        Path hba = dir.resolve("postgres/pg_hba.conf");
        Files.writeString(hba, EmbeddedDatabase.HBA_MARKER + "\nhost all all 127.0.0.1/32 trust\n" + Files.readString(hba));
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, "pouch_app", "pouch_owner", "pouch_viewer")) {
            assertPasswordsRequired(db);
        }
        assertThat(Files.readString(hba)).doesNotContain("trust");
    }

    @Test
    void a_cluster_without_its_superuser_password_is_refused_with_a_sentence_saying_so() throws Exception {
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, "pouch_app", "pouch_owner", "pouch_viewer")) {
            assertPasswordsRequired(db);
        }
        Path secret = dir.resolve("secrets/db-superuser.password");
        Path kept = dir.resolve("kept.password");
        Files.move(secret, kept);
        assertThatThrownBy(() -> EmbeddedDatabase.start(dir, "pouch_app", "pouch_owner", "pouch_viewer"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("asks for passwords").hasMessageContaining("db-superuser.password is missing");
        assertThat(secret).doesNotExist(); // no new password made up
        // Put back, the cluster opens as before.
        Files.move(kept, secret);
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, "pouch_app", "pouch_owner", "pouch_viewer")) {
            assertPasswordsRequired(db);
        }
    }

    @Test
    void a_cluster_that_trusted_local_connections_is_given_passwords_at_its_next_start() throws Exception {
        // A cluster as the library creates it, and as the server did before: every local connection trusted.
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("postgres"))
                .setCleanDataDirectory(false).start();
             Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + old.getPort() + "/postgres", "postgres", "")) {
            assertThat(c.isValid(5)).isTrue();
            // Such rules, were they ever in force at start-up, are refused with a sentence saying so.
            assertThatThrownBy(() -> EmbeddedDatabase.requireScramRules(c, dir.resolve("postgres")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("do not ask for a password");
        }
        assertThat(Files.readString(dir.resolve("postgres/pg_hba.conf"))).contains("trust");

        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, "pouch_app", "pouch_owner", "pouch_viewer")) {
            assertPasswordsRequired(db);
        }
        try (EmbeddedDatabase db = EmbeddedDatabase.start(dir, "pouch_app", "pouch_owner", "pouch_viewer")) {
            assertPasswordsRequired(db);
        }
    }

    private void assertPasswordsRequired(EmbeddedDatabase db) throws SQLException {
        EmbeddedDatabase.Endpoints e = db.endpoints();
        String postgresDb = e.url().replaceFirst("/pouch$", "/postgres");
        String superuser = Secrets.reveal(Secrets.read(dir.resolve("secrets/db-superuser.password")));

        // Without a password, or with a wrong one: refused, whoever asks.
        for (String user : new String[] {"postgres", e.appUser(), e.ownerUser()}) {
            assertRefused(e.url(), user, null);
            assertRefused(e.url(), user, "wrong-password");
            assertRefused(postgresDb, user, "");
        }
        // With its password each role gets in, and is who it says.
        assertThat(currentUser(e.url(), e.appUser(), Secrets.reveal(e.appPassword()))).isEqualTo(e.appUser());
        assertThat(currentUser(e.url(), e.ownerUser(), Secrets.reveal(e.ownerPassword()))).isEqualTo(e.ownerUser());
        assertThat(currentUser(postgresDb, "postgres", superuser)).isEqualTo("postgres");
        // No rule in force trusts anyone.
        try (Connection c = DriverManager.getConnection(postgresDb, "postgres", superuser); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules")) {
            r.next();
            assertThat(r.getString(1)).isEqualTo("scram-sha-256");
        }
    }

    private static void assertRefused(String url, String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        assertThatThrownBy(() -> DriverManager.getConnection(url, p).close())
                .as("%s with password %s", user, password)
                .isInstanceOf(SQLException.class)
                .satisfies(t -> assertThat(((SQLException) t).getSQLState()).isIn("28P01", "28000", "08004"));
    }

    private static String currentUser(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT current_user")) {
            r.next();
            return r.getString(1);
        }
    }
}
