package dev.pouch.crypto.testing;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.LocalCertificateAuthority;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.pki.Revocation;
import dev.pouch.crypto.pki.RevocationReason;
import dev.pouch.crypto.pki.TrustStore;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.crypto.seal.CmsSealer;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A throw-away exchange PKI for tests: a root, a current CRL, and organization keys made on
 * demand. Real certificates and real keys; nothing is mocked.
 */
public final class TestPki {

    /** An organization's two keys. */
    public record OrgKeys(KeyCredential signing, KeyCredential keyAgreement) {
    }

    private final Clock clock;
    private final LocalCertificateAuthority authority;
    private final TrustStore trust;
    private final PkixCertificateValidator validator;
    private final Map<String, OrgKeys> orgs = new ConcurrentHashMap<>();
    private final List<Revocation> revoked = new ArrayList<>();
    private KeyCredential archive;
    private long crlNumber = 1;
    private java.security.cert.X509CRL currentCrl;

    private TestPki(Clock clock, String name) {
        this.clock = clock;
        this.authority = LocalCertificateAuthority.createRoot(name, Duration.ofDays(3650), clock);
        this.trust = TrustStore.of(List.of(authority.certificate()));
        this.validator = new PkixCertificateValidator(trust, clock);
        publishCrl();
    }

    public static TestPki create() {
        return new TestPki(Clock.systemUTC(), "Pouch Test Root");
    }

    public static TestPki create(Clock clock) {
        return new TestPki(clock, "Pouch Test Root");
    }

    public static TestPki create(Clock clock, String rootName) {
        return new TestPki(clock, rootName);
    }

    public Clock clock() {
        return clock;
    }

    public LocalCertificateAuthority authority() {
        return authority;
    }

    public X509Certificate root() {
        return authority.certificate();
    }

    public TrustStore trustStore() {
        return trust;
    }

    public PkixCertificateValidator validator() {
        return validator;
    }

    /** The keys of {@code code}, issued on first use. */
    public OrgKeys org(String code) {
        return orgs.computeIfAbsent(code, c -> new OrgKeys(
                authority.issue(CertificateProfile.ORGANIZATION_SIGNING, Identity.organization(OrgCode.of(c)), Duration.ofDays(730)),
                authority.issue(CertificateProfile.ORGANIZATION_KEY_AGREEMENT, Identity.organization(OrgCode.of(c)), Duration.ofDays(730))));
    }

    public synchronized KeyCredential archive() {
        if (archive == null) {
            archive = authority.issue(CertificateProfile.ARCHIVE_KEY_AGREEMENT, Identity.archive(), Duration.ofDays(730));
        }
        return archive;
    }

    public KeyCredential staff(String org, String staffId) {
        return authority.issue(CertificateProfile.STAFF_TLS_CLIENT, Identity.staff(OrgCode.of(org), staffId), Duration.ofDays(365));
    }

    /** Key-agreement certificates of the given organizations plus the archive. */
    public List<X509Certificate> recipients(String... codes) {
        List<X509Certificate> certs = new ArrayList<>();
        for (String c : codes) {
            certs.add(org(c).keyAgreement().certificate());
        }
        certs.add(archive().certificate());
        return certs;
    }

    public CmsSealer sealer(String org) {
        return CmsSealer.builder().signer(org(org).signing()).validator(validator).clock(clock).build();
    }

    public CmsOpener opener(String org) {
        return CmsOpener.builder().recipient(org(org).keyAgreement()).validator(validator).build();
    }

    public CmsOpener archiveOpener() {
        return CmsOpener.builder().recipient(archive()).validator(validator).build();
    }

    /** Revokes a certificate and publishes a new CRL at once. */
    public synchronized void revoke(X509Certificate certificate, Instant at, RevocationReason reason) {
        revoked.add(new Revocation(certificate.getSerialNumber(), at, reason));
        publishCrl();
    }

    /** Issues a fresh CRL (valid for a day from the clock's now) and installs it. */
    public synchronized void publishCrl() {
        Instant now = clock.instant();
        currentCrl = authority.issueCrl(crlNumber++, revoked, now.minusSeconds(60), now.plus(Duration.ofDays(1)));
        trust.update(currentCrl);
    }

    /** What another process needs to talk to an exchange using this PKI: the root, the CRL, a staff credential. */
    public record ImportedPki(KeyCredential staff, PkixCertificateValidator validator) {
    }

    /** Writes root, CRL and a staff TLS credential as PEM into {@code dir}, for another process. */
    public synchronized void exportTo(java.nio.file.Path dir) throws java.io.IOException {
        KeyCredential staff = staff("FR-EMB", "exported");
        java.nio.file.Files.writeString(dir.resolve("root.pem"), dev.pouch.crypto.pki.Pem.certificate(root()));
        java.nio.file.Files.writeString(dir.resolve("crl.pem"), dev.pouch.crypto.pki.Pem.crl(currentCrl));
        java.nio.file.Files.writeString(dir.resolve("staff.pem"), dev.pouch.crypto.pki.Pem.certificates(staff.chain()));
        java.nio.file.Files.writeString(dir.resolve("staff.key"), dev.pouch.crypto.pki.Pem.privateKey(staff.privateKey()));
    }

    /** Reads what {@link #exportTo} wrote. */
    public static ImportedPki importFrom(java.nio.file.Path dir) throws java.io.IOException {
        var root = dev.pouch.crypto.pki.Pem.readCertificates(java.nio.file.Files.readString(dir.resolve("root.pem"))).getFirst();
        TrustStore trust = TrustStore.of(List.of(root));
        trust.update(dev.pouch.crypto.pki.Pem.readCrl(java.nio.file.Files.readString(dir.resolve("crl.pem"))));
        KeyCredential staff = KeyCredential.of(
                dev.pouch.crypto.pki.Pem.readPrivateKey(java.nio.file.Files.readString(dir.resolve("staff.key")), java.util.Optional.empty()),
                dev.pouch.crypto.pki.Pem.readCertificates(java.nio.file.Files.readString(dir.resolve("staff.pem"))));
        return new ImportedPki(staff, new PkixCertificateValidator(trust, Clock.systemUTC()));
    }
}
