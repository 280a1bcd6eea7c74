package dev.pouch.server.pki;

import dev.pouch.crypto.Password;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.CredentialRole;
import dev.pouch.crypto.pki.CredentialStore;
import dev.pouch.crypto.pki.Credentials;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.LocalCertificateAuthority;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.pki.RevocationReason;
import dev.pouch.crypto.pki.TrustStore;
import dev.pouch.server.config.PouchProperties;
import dev.pouch.server.config.Secrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The exchange's own PKI: the root authority, this node's keys (TLS, exchange signing, the
 * archive's key agreement), every certificate issued, and the current CRL. On first start it
 * creates the authority and the node keys under {@code dataDir/pki}. A revocation publishes a new
 * CRL at once, so it takes effect at the next TLS handshake on this node (other nodes pick it up
 * from the database within a minute).
 */
@Service
public class ExchangePki {

    private static final Logger log = LoggerFactory.getLogger(ExchangePki.class);
    static final Duration CRL_VALIDITY = Duration.ofDays(7);

    private final LocalCertificateAuthority authority;
    private final Credentials node;
    private final TrustStore trust;
    private final PkixCertificateValidator validator;
    private final CertificateRepository certificates;
    private final Clock clock;

    public ExchangePki(PouchProperties properties, CertificateRepository certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
        Path dir = properties.dataDir().resolve("pki");
        Path authorityFile = dir.resolve("authority.p12");
        Password authorityPassword = Secrets.readOrCreate(properties.dataDir().resolve("secrets/authority.password"));
        if (Files.exists(authorityFile)) {
            authority = LocalCertificateAuthority.fromCredential(
                    CredentialStore.read(authorityFile, authorityPassword).require(CredentialRole.AUTHORITY), clock);
        } else {
            authority = LocalCertificateAuthority.createRoot("Pouch Exchange Root CA", Duration.ofDays(20 * 365), clock);
            CredentialStore.write(authorityFile, new Credentials(Map.of(CredentialRole.AUTHORITY, authority.credential()),
                    List.of(authority.certificate())), authorityPassword);
            log.info("First start: created the exchange root CA in {}", authorityFile);
        }
        writeRootPem(dir.resolve("exchange-root.pem"));
        this.trust = TrustStore.of(List.of(authority.certificate()));
        this.validator = new PkixCertificateValidator(trust, clock);
        certificates.latestCrl().ifPresent(trust::update);
        refreshCrlIfDue();

        Path nodeFile = dir.resolve("node.p12");
        Password nodePassword = Secrets.readOrCreate(properties.dataDir().resolve("secrets/node.password"));
        if (Files.exists(nodeFile)) {
            node = CredentialStore.read(nodeFile, nodePassword);
        } else {
            node = new Credentials(Map.of(
                    CredentialRole.TLS, issue(CertificateProfile.EXCHANGE_TLS, Identity.exchange(), Duration.ofDays(398)),
                    CredentialRole.SIGNING, issue(CertificateProfile.EXCHANGE_SIGNING, Identity.exchange(), Duration.ofDays(730)),
                    CredentialRole.KEY_AGREEMENT, issue(CertificateProfile.ARCHIVE_KEY_AGREEMENT, Identity.archive(), Duration.ofDays(730))),
                    List.of(authority.certificate()));
            CredentialStore.write(nodeFile, node, nodePassword);
            log.info("First start: created this node's TLS, exchange-signing and archive keys in {}", nodeFile);
        }
    }

    /** The root certificate as PEM, for tools that trust the exchange (curl, openssl, browsers). It is public. */
    private void writeRootPem(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Pem.certificate(authority.certificate()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }

    public X509Certificate root() {
        return authority.certificate();
    }

    public PkixCertificateValidator validator() {
        return validator;
    }

    /** This node's TLS key (exchange endpoint and HTTPS). */
    public KeyCredential nodeTls() {
        return node.require(CredentialRole.TLS);
    }

    /** The exchange's own signing key (audit checkpoints, notices from the exchange). */
    public KeyCredential exchangeSigning() {
        return node.require(CredentialRole.SIGNING);
    }

    /** The archive's key-agreement key: every document is also encrypted to it. */
    public KeyCredential archive() {
        return node.require(CredentialRole.KEY_AGREEMENT);
    }

    /** Generates a key pair and certifies it, recording the certificate. */
    public synchronized KeyCredential issue(CertificateProfile profile, Identity identity, Duration validity) {
        KeyCredential key = authority.issue(profile, identity, validity);
        certificates.record(key.certificate(), profile, identity);
        return key;
    }

    /** Certifies a public key someone else holds the private key of (enrolment), recording the certificate. */
    public synchronized X509Certificate certify(CertificateProfile profile, Identity identity, PublicKey publicKey, Duration validity) {
        Instant now = clock.instant();
        X509Certificate certificate = authority.certify(profile, identity, publicKey,
                now.minus(LocalCertificateAuthority.CLOCK_SKEW), now.plus(validity));
        certificates.record(certificate, profile, identity);
        return certificate;
    }

    /** Revokes a certificate and publishes a new CRL at once; false if it was unknown or already revoked. */
    public synchronized boolean revoke(String serialHex, RevocationReason reason) {
        boolean revoked = certificates.revoke(serialHex, clock.instant(), reason);
        if (revoked) {
            publishCrl();
        }
        return revoked;
    }

    public X509CRL currentCrl() {
        return trust.crlFor(authority.certificate().getSubjectX500Principal())
                .orElseThrow(() -> new IllegalStateException("no CRL has been published"));
    }

    /** Issues, records and installs a new CRL. */
    public synchronized X509CRL publishCrl() {
        Instant now = clock.instant();
        long number = certificates.nextCrlNumber();
        X509CRL crl = authority.issueCrl(number, certificates.revocations(), now.minusSeconds(60), now.plus(CRL_VALIDITY));
        certificates.recordCrl(number, crl);
        trust.update(crl);
        return crl;
    }

    /** Picks up CRLs other nodes published, and reissues ours well before it expires. */
    @Scheduled(fixedDelayString = "PT1M", initialDelayString = "PT1M")
    public synchronized void refreshCrlIfDue() {
        certificates.latestCrl().ifPresent(trust::update);
        boolean due = trust.crlFor(authority.certificate().getSubjectX500Principal())
                .map(crl -> crl.getNextUpdate().toInstant().isBefore(clock.instant().plus(CRL_VALIDITY.dividedBy(2))))
                .orElse(true);
        if (due) {
            publishCrl();
        }
    }
}
