package dev.pouch.server.config;

import dev.pouch.crypto.Password;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * An embedded PostgreSQL (real binaries) under {@code dataDir/postgres}, on loopback, with a
 * UTF-8 builtin collation provider so that CJK text segments. The superuser is used only here, to
 * create the owner role (migrations), the application role (a non-superuser, so row-level security
 * applies to it) and the database.
 *
 * <p>Every connection needs a password (SCRAM-SHA-256), the superuser's too: the library's
 * {@code initdb} trusts every local connection, which would let any process on the machine connect
 * as the superuser and read past row-level security and the audit log. A new cluster gets the
 * superuser's password from {@code initdb} and this file's {@code pg_hba.conf} before its first
 * start; a cluster created before that is given both at its next start.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final String DATABASE = "pouch";
    static final String SUPERUSER = "postgres";
    /** The first line of the {@code pg_hba.conf} this class writes. */
    static final String HBA_MARKER = "# pouch: passwords (SCRAM) for every connection";
    private static final String HBA = HBA_MARKER + "\n"
            + "# Written by the exchange server at start-up; changes here are overwritten.\n"
            + "local all all scram-sha-256\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n"
            + "host all all ::1/128 scram-sha-256\n";

    /** Where and as whom to connect. */
    public record Endpoints(String url, String appUser, Password appPassword, String ownerUser, Password ownerPassword) {
    }

    private final EmbeddedPostgres postgres;
    private final Endpoints endpoints;

    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    private EmbeddedDatabase(EmbeddedPostgres postgres, Endpoints endpoints) {
        this.postgres = postgres;
        this.endpoints = endpoints;
        // JVM shutdown hooks run concurrently: the library's own hook would stop PostgreSQL while
        // the application is still finishing its work (scheduled tasks failing with "terminating
        // connection due to administrator command"). Ours lets the application close first — the
        // context closes this database last, after everything that uses it — and only stops
        // PostgreSQL itself if that has not happened within 30 s.
        Thread hook = new Thread(() -> {
            try {
                if (!closed.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    close();
                }
            } catch (InterruptedException e) {
                close();
            }
        }, "pouch-embedded-postgres-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    public static EmbeddedDatabase start(Path dataDir, String appUser, String ownerUser, String viewerRole) {
        Path dir = dataDir.resolve("postgres").toAbsolutePath();
        stopOrphan(dir);
        try {
            Files.createDirectories(dir.getParent());
            Path superuserFile = dataDir.resolve("secrets/db-superuser.password").toAbsolutePath();
            boolean fresh = !Files.exists(dir.resolve("postgresql.conf")); // as the library decides to run initdb
            if (!fresh && hbaWritten(dir) && !Files.exists(superuserFile)) {
                // A new random password would not open it: say so now rather than time out connecting.
                throw new IllegalStateException("the embedded PostgreSQL in " + dir + " asks for passwords, but " + superuserFile
                        + " is missing: restore secrets/ from the backup of the data directory it was taken with");
            }
            Password superuserPassword = Secrets.readOrCreate(superuserFile);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(dir)
                    .setCleanDataDirectory(false)
                    .setPort(0)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setRegisterShutdownHook(false) // see the constructor
                    .setLocaleConfig("locale-provider", "builtin")
                    .setLocaleConfig("builtin-locale", "C.UTF-8")
                    .setLocaleConfig("encoding", "UTF8")
                    .setLocaleConfig("pwfile", superuserFile.toString()) // initdb only: the superuser's password
                    .setConnectConfig("password", Secrets.reveal(superuserPassword))
                    .setDataDirectoryCustomizer(d -> {
                        // Before the postmaster starts, at every start: ours, whatever was edited in.
                        // An older cluster (no marker: its superuser has no password yet) is done
                        // once it runs, by requirePasswords.
                        if (fresh || hbaWritten(d.toPath())) {
                            writeHba(d.toPath());
                        }
                    })
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
            requirePasswords(postgres, dir, superuserPassword);
            Password appPassword = Secrets.readOrCreate(dataDir.resolve("secrets/db-app.password"));
            Password ownerPassword = Secrets.readOrCreate(dataDir.resolve("secrets/db-owner.password"));
            bootstrap(postgres.getPostgresDatabase(), appUser, appPassword, ownerUser, ownerPassword, viewerRole);
            try (Connection c = postgres.getDatabase("postgres", DATABASE).getConnection(); Statement s = c.createStatement()) {
                // Trusted extensions, created once by the superuser so that the owner need not be one.
                s.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
                s.execute("CREATE EXTENSION IF NOT EXISTS unaccent");
            }
            String url = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
            log.info("Embedded PostgreSQL {} on 127.0.0.1:{} with data in {}", postgresVersion(postgres), postgres.getPort(), dir);
            return new EmbeddedDatabase(postgres, new Endpoints(url, appUser, appPassword, ownerUser, ownerPassword));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + dir, e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the embedded PostgreSQL: " + e.getMessage(), e);
        }
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /**
     * Makes sure every connection needs a password: an older cluster (trusting local connections)
     * gets the superuser's password and this class's {@code pg_hba.conf}, reloaded at once; then
     * the rules in force are checked. Refuses to go on if any rule still trusts.
     */
    private static void requirePasswords(EmbeddedPostgres postgres, Path dir, Password superuserPassword) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            if (!hbaWritten(dir)) {
                s.execute("ALTER ROLE " + quote(SUPERUSER) + " PASSWORD " + literal(Secrets.reveal(superuserPassword)));
                writeHba(dir);
                s.execute("SELECT pg_reload_conf()");
                log.info("The embedded PostgreSQL in {} now asks every connection for a password", dir);
            }
            requireScramRules(c, dir);
        }
    }

    /** Refuses to go on if any rule of {@code dir}'s {@code pg_hba.conf} (as PostgreSQL reads it, as a superuser) is not SCRAM. */
    static void requireScramRules(Connection superuser, Path dir) throws SQLException {
        try (Statement s = superuser.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'"
                     + " OR error IS NOT NULL")) {
            r.next();
            if (r.getLong(1) != 0) {
                throw new IllegalStateException("the embedded PostgreSQL's " + dir.resolve("pg_hba.conf")
                        + " has rules that do not ask for a password or that PostgreSQL cannot read; the server writes that file"
                        + " itself at every start (docs/adr/0012), so another program has changed it: find out which before starting");
            }
        }
    }

    private static boolean hbaWritten(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("pg_hba.conf"));
            return !lines.isEmpty() && lines.getFirst().equals(HBA_MARKER);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("pg_hba.conf"), e);
        }
    }

    private static void writeHba(Path dir) {
        try {
            Path tmp = dir.resolve("pg_hba.conf.tmp");
            Files.writeString(tmp, HBA);
            Files.move(tmp, dir.resolve("pg_hba.conf"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("pg_hba.conf"), e);
        }
    }

    private static void bootstrap(DataSource superuser, String appUser, Password appPassword, String ownerUser,
            Password ownerPassword, String viewerRole) throws SQLException {
        try (Connection c = superuser.getConnection(); Statement s = c.createStatement()) {
            for (String[] role : new String[][] {{ownerUser, Secrets.reveal(ownerPassword)}, {appUser, Secrets.reveal(appPassword)}}) {
                boolean exists;
                try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                    q.setString(1, role[0]);
                    try (ResultSet r = q.executeQuery()) {
                        exists = r.next();
                    }
                }
                String verb = exists ? "ALTER" : "CREATE";
                s.execute(verb + " ROLE " + quote(role[0]) + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD "
                        + literal(role[1]));
            }
            // The role staff-facing archive reads switch to (SET LOCAL ROLE): it cannot log in, and
            // row-level security applies to it (see V6 and docs/adr/0009).
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = " + literal(viewerRole))) {
                if (!r.next()) {
                    s.execute("CREATE ROLE " + quote(viewerRole) + " NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS");
                }
            }
            s.execute("GRANT " + quote(viewerRole) + " TO " + quote(appUser));
            boolean dbExists;
            try (ResultSet r = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                dbExists = r.next();
            }
            if (!dbExists) {
                s.execute("CREATE DATABASE " + DATABASE + " OWNER " + quote(ownerUser)
                        + " ENCODING 'UTF8' LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8' TEMPLATE template0");
            }
            s.execute("REVOKE ALL ON DATABASE " + DATABASE + " FROM PUBLIC");
            s.execute("GRANT CONNECT, TEMPORARY ON DATABASE " + DATABASE + " TO " + quote(appUser));
        }
    }

    /**
     * A server killed without warning leaves its PostgreSQL running (it is a separate process);
     * stop it before starting a new one on the same data.
     */
    private static void stopOrphan(Path dir) {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
            if (process.isPresent()) {
                log.warn("PostgreSQL {} from an earlier run is still running on {}; stopping it", pid, dir);
                process.get().destroy();
                if (!process.get().onExit().toCompletableFuture().completeOnTimeout(null, 30, java.util.concurrent.TimeUnit.SECONDS)
                        .thenApply(p -> p != null).join()) {
                    process.get().destroyForcibly();
                }
            }
        } catch (IOException | NumberFormatException | java.util.NoSuchElementException e) {
            log.warn("ignoring unreadable {}: {}", pidFile, e.toString());
        }
    }

    private static String postgresVersion(EmbeddedPostgres postgres) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SHOW server_version")) {
            r.next();
            return r.getString(1);
        }
    }

    static String quote(String identifier) {
        if (!identifier.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a plain role name: " + identifier);
        }
        return "\"" + identifier + "\"";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        closed.countDown();
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("stopping the embedded PostgreSQL failed: {}", e.toString());
        }
    }
}
