package dev.pouch.server.testing;

import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.server.PouchServerApplication;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import dev.pouch.server.directory.Region;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.StaffRepository;
import dev.pouch.server.pki.ExchangePki;
import dev.pouch.server.transport.ExchangeEndpoint;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A real exchange server in this JVM — embedded PostgreSQL, embedded Artemis, the Netty endpoint
 * and HTTPS, each on a free loopback port — over a data directory of its own. Demo mode is off:
 * tests enrol the organizations and staff they need through the server's own PKI.
 */
public final class TestServer implements AutoCloseable {

    private static TestServer shared;

    private final Path dataDir;
    private final boolean ownDataDir;
    private final ConfigurableApplicationContext context;
    private final Map<OrgCode, KeyCredential[]> organizationKeys = new ConcurrentHashMap<>();
    private final List<TestOffice> offices = new ArrayList<>();

    private TestServer(Path dataDir, boolean ownDataDir, String... args) {
        this.dataDir = dataDir;
        this.ownDataDir = ownDataDir;
        List<String> all = new ArrayList<>(List.of("--pouch.data-dir=" + dataDir, "--pouch.exchange.port=0", "--server.port=0",
                "--pouch.demo=false", "--pouch.broker.redelivery-delay=200ms", "--logging.level.root=WARN",
                "--logging.level.dev.pouch=INFO", "--spring.main.register-shutdown-hook=false"));
        all.addAll(List.of(args));
        SpringApplication app = new SpringApplication(PouchServerApplication.class);
        this.context = app.run(all.toArray(String[]::new));
    }

    /** One server for all tests of this JVM that need no special configuration; stopped at exit. */
    public static synchronized TestServer shared() {
        if (shared == null) {
            shared = new TestServer(tempDir(), true);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "test-server-stop"));
        }
        return shared;
    }

    /** A server of its own over {@code dataDir} (kept after close, so it can be started again). */
    public static TestServer start(Path dataDir, String... args) {
        return new TestServer(dataDir, false, args);
    }

    public static Path tempDir() {
        try {
            return Files.createTempDirectory("pouch-server-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public int exchangePort() {
        return bean(ExchangeEndpoint.class).port();
    }

    public int httpsPort() {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

    public X509Certificate root() {
        return bean(ExchangePki.class).root();
    }

    /** As the application role (a non-superuser). */
    public JdbcTemplate jdbc() {
        return bean(JdbcTemplate.class);
    }

    /** As the schema owner (what a DBA or an attacker with the owner's password could do). */
    public JdbcTemplate ownerJdbc() {
        return new JdbcTemplate(context.getBean("flywayDataSource", DataSource.class));
    }

    /** Stored objects that belong to no document and no upload in progress: there must be none. */
    public long orphanBlobs() {
        return jdbc().queryForObject("""
                SELECT count(*) FROM blob b
                WHERE NOT EXISTS (SELECT 1 FROM document d WHERE d.main_blob = b.id)
                  AND NOT EXISTS (SELECT 1 FROM document_part p WHERE p.blob_id = b.id)
                  AND NOT EXISTS (SELECT 1 FROM upload u WHERE u.blob_id = b.id)""", Long.class);
    }

    public List<String> region(Region region) {
        return bean(Directory.class).inRegion(region).stream().map(Organization::code).map(OrgCode::value).sorted().toList();
    }

    /**
     * Certifies the organization's signing and key-agreement keys (once per server) and a staff
     * member with {@code roles} and a TLS client certificate.
     */
    public TestOffice.Keys enrol(String organization, String staffId, Role... roles) {
        OrgCode org = OrgCode.of(organization);
        ExchangePki pki = bean(ExchangePki.class);
        KeyCredential[] keys = organizationKeys.computeIfAbsent(org, o -> new KeyCredential[] {
                pki.issue(CertificateProfile.ORGANIZATION_SIGNING, Identity.organization(o), Duration.ofDays(30)),
                pki.issue(CertificateProfile.ORGANIZATION_KEY_AGREEMENT, Identity.organization(o), Duration.ofDays(30))});
        bean(StaffRepository.class).save(org, staffId, staffId, roles.length == 0
                ? EnumSet.of(Role.DRAFTER, Role.RELEASER, Role.READER) : EnumSet.copyOf(List.of(roles)), Classification.INTERNAL);
        KeyCredential tls = pki.issue(CertificateProfile.STAFF_TLS_CLIENT, Identity.staff(org, staffId), Duration.ofDays(30));
        return new TestOffice.Keys(org, tls, keys[0], keys[1]);
    }

    /** Enrols {@code organization} (staff "officer": drafter, releaser, reader) and connects it. */
    public TestOffice office(String organization) {
        return connect(enrol(organization, "officer"));
    }

    public TestOffice connect(TestOffice.Keys keys) {
        TestOffice office = TestOffice.connect(keys, root(), "127.0.0.1", exchangePort());
        synchronized (offices) {
            offices.add(office);
        }
        return office;
    }

    /**
     * Disconnects every office the tests connected so far. Call it when a test class is done:
     * an office left connected would take deliveries meant for a later test's instance of the
     * same organization (any session of an organization may receive its documents).
     */
    public void closeOffices() {
        synchronized (offices) {
            offices.forEach(TestOffice::close);
            offices.clear();
        }
    }

    @Override
    public synchronized void close() {
        closeOffices();
        if (context.isActive()) {
            context.close();
        }
        if (ownDataDir) {
            deleteTree(dataDir);
        }
    }

    /** Removes a test's data directory. */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
