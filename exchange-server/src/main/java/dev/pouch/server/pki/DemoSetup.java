package dev.pouch.server.pki;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.CredentialStore;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.config.Secrets;
import dev.pouch.server.directory.Directory;
import dev.pouch.server.directory.Organization;
import dev.pouch.server.directory.Role;
import dev.pouch.server.directory.StaffRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Demo mode's first run: every organization of the directory gets a signing and a key-agreement
 * certificate, and a few demo staff get credential files under {@code dataDir/demo}. In real use
 * organizations generate their own keys and the exchange only certifies them.
 */
@Component
public class DemoSetup {

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);
    static final Duration ORGANIZATION_KEY_VALIDITY = Duration.ofDays(730);

    /** A demo staff member. */
    public record DemoStaff(String organization, String staffId, String name, Set<Role> roles) {
    }

    public static final List<DemoStaff> STAFF = List.of(
            new DemoStaff("HQ-EUR", "wang.fang", "王芳 Wang Fang", EnumSet.of(Role.DRAFTER, Role.RELEASER, Role.READER)),
            new DemoStaff("FR-EMB", "marie.dupont", "Marie Dupont", EnumSet.of(Role.DRAFTER, Role.RELEASER, Role.READER)),
            new DemoStaff("DE-EMB", "klaus.weber", "Klaus Weber", EnumSet.of(Role.DRAFTER, Role.RELEASER, Role.READER)),
            new DemoStaff("HQ-GO", "admin", "Exchange administrator", EnumSet.of(Role.ADMIN, Role.AUDITOR, Role.READER)));

    private final Path demoDir;

    public DemoSetup(PouchProperties properties, Directory directory, ExchangePki pki, CertificateRepository certificates,
            StaffRepository staff) {
        this.demoDir = properties.dataDir().resolve("demo").toAbsolutePath().normalize();
        if (!properties.demo()) {
            return;
        }
        Map<OrgCode, KeyCredential[]> generated = new LinkedHashMap<>();
        for (Organization o : directory.all()) {
            Identity id = Identity.organization(o.code());
            if (certificates.current(id, CertificateProfile.ORGANIZATION_SIGNING).isEmpty()
                    || certificates.current(id, CertificateProfile.ORGANIZATION_KEY_AGREEMENT).isEmpty()) {
                generated.put(o.code(), organizationKeys(pki, o.code()));
            }
        }
        if (!generated.isEmpty()) {
            log.info("Demo: issued signing and key-agreement certificates for {} organizations", generated.size());
        }
        for (DemoStaff s : STAFF) {
            OrgCode org = OrgCode.of(s.organization());
            staff.save(org, s.staffId(), s.name(), s.roles(), Classification.INTERNAL);
            Path file = credentialFile(s);
            if (Files.exists(file)) {
                if (!Files.exists(tlsKeyFile(s))) {
                    writeTlsPem(s, CredentialStore.read(file, Secrets.read(passwordFile(s))).require(CredentialRole.TLS));
                }
                continue;
            }
            // The organization's private keys exist only if they were generated now; otherwise re-key it.
            KeyCredential[] keys = generated.computeIfAbsent(org, o -> organizationKeys(pki, o));
            KeyCredential tls = pki.issue(CertificateProfile.STAFF_TLS_CLIENT, Identity.staff(org, s.staffId()), Duration.ofDays(365));
            Password password = Secrets.readOrCreate(passwordFile(s));
            CredentialStore.write(file, new Credentials(Map.of(CredentialRole.TLS, tls, CredentialRole.SIGNING, keys[0],
                    CredentialRole.KEY_AGREEMENT, keys[1]), List.of(pki.root())), password);
            writeTlsPem(s, tls);
            log.info("Demo credentials for {} of {}: {} (password in {})", s.staffId(), s.organization(), file, passwordFile(s));
        }
        if (properties.demoOrganizationKeys() && !generated.isEmpty()) {
            exportInBackground(generated, pki, properties.dataDir().resolve("demo/organization-keys.p12"));
        }
    }

    public Path credentialFile(DemoStaff s) {
        return demoDir.resolve(s.organization() + "-" + s.staffId() + ".p12");
    }

    /** The staff member's TLS certificate as PEM, for curl and browsers ({@code --cert}). */
    public Path tlsCertificateFile(DemoStaff s) {
        return demoDir.resolve(s.organization() + "-" + s.staffId() + "-tls.crt");
    }

    /** The TLS private key as encrypted PKCS#8 PEM, under the same password as the PKCS#12 file ({@code --key}, {@code --pass}). */
    public Path tlsKeyFile(DemoStaff s) {
        return demoDir.resolve(s.organization() + "-" + s.staffId() + "-tls.key");
    }

    private void writeTlsPem(DemoStaff s, KeyCredential tls) {
        Password password = Secrets.read(passwordFile(s));
        try {
            Files.writeString(tlsCertificateFile(s), Pem.certificate(tls.certificate()));
            Path key = tlsKeyFile(s);
            Files.deleteIfExists(key);
            Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(key, Pem.encryptedPrivateKey(tls.privateKey(), password));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo TLS files of " + s.staffId(), e);
        }
    }

    public Path passwordFile(DemoStaff s) {
        return demoDir.resolve(s.organization() + "-" + s.staffId() + ".password");
    }

    private static KeyCredential[] organizationKeys(ExchangePki pki, OrgCode org) {
        Identity id = Identity.organization(org);
        return new KeyCredential[] {
                pki.issue(CertificateProfile.ORGANIZATION_SIGNING, id, ORGANIZATION_KEY_VALIDITY),
                pki.issue(CertificateProfile.ORGANIZATION_KEY_AGREEMENT, id, ORGANIZATION_KEY_VALIDITY)};
    }

    /**
     * Every organization's private keys in one demo file, for tools that act as many offices (the
     * load generator). Each key is PBES2-protected, which takes a while for 400-odd keys: done in
     * the background, once.
     */
    private static void exportInBackground(Map<OrgCode, KeyCredential[]> keys, ExchangePki pki, Path file) {
        Thread t = new Thread(() -> {
            Map<String, KeyCredential> entries = new LinkedHashMap<>();
            keys.forEach((org, k) -> {
                entries.put(org.value() + ".signing", k[0]);
                entries.put(org.value() + ".key-agreement", k[1]);
            });
            Password password = Secrets.readOrCreate(file.resolveSibling("organization-keys.password"));
            CredentialStore.writeEntries(file, entries, List.of(pki.root()), password);
            log.info("Demo: wrote the keys of {} organizations to {}", keys.size(), file);
        }, "pouch-demo-keys");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }
}
