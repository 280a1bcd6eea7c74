package dev.pouch.crypto.corpus;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.internal.EcKeys;
import dev.pouch.crypto.pki.CertificateProfile;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import dev.pouch.crypto.pki.LocalCertificateAuthority;
import dev.pouch.crypto.pki.Pem;
import dev.pouch.crypto.pki.PkixCertificateValidator;
import dev.pouch.crypto.pki.Revocation;
import dev.pouch.crypto.pki.RevocationReason;
import dev.pouch.crypto.pki.TrustStore;
import dev.pouch.crypto.seal.CmsOpener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fixed PKI of the negative corpus, stored as PEM under {@code corpus/pki/}: one trusted root
 * with its CRL, the organizations' credentials, and the hostile credentials the cases need.
 */
final class CorpusPki {

    /** The corpus's "now": every case is judged at this instant, so committed files never age. */
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** When the corpus PKI was (notionally) issued; certificates start here. */
    private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(15 * 365);
    static final Instant EXPIRED_NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant EXPIRED_NOT_AFTER = Instant.parse("2026-06-30T00:00:00Z");
    static final Instant REVOKED_AT = Instant.parse("2026-10-01T00:00:00Z");
    private static final Instant CRL_THIS_UPDATE = Instant.parse("2026-11-01T00:00:00Z");
    private static final Instant CRL_NEXT_UPDATE = Instant.parse("2036-11-01T00:00:00Z");
    private static final String ROOT_NAME = "Pouch Corpus Root";

    /** Every credential of the corpus, named after its PEM files ({@code <name>.pem}, {@code <name>.key}). */
    enum Cred {
        ROOT("root"),
        HQ_SIGN("hq-eur-sign"),
        HQ_KA("hq-eur-ka"),
        FR_SIGN("fr-emb-sign"),
        FR_KA("fr-emb-ka"),
        IT_SIGN("it-emb-sign"),
        IT_KA("it-emb-ka"),
        DE_SIGN("de-emb-sign"),
        DE_KA("de-emb-ka"),
        ARCHIVE_KA("archive-ka"),
        HQ_STAFF_TLS("hq-eur-staff-tls"),
        HQ_SIGN_EXPIRED("hq-eur-sign-expired"),
        HQ_SIGN_REVOKED("hq-eur-sign-revoked"),
        /** A second root nobody trusts, with a different name. */
        ROGUE_ROOT("rogue-root"),
        ROGUE_HQ_SIGN("rogue-hq-eur-sign"),
        /** A root nobody trusts that copies the trusted root's distinguished name. */
        IMPOSTOR_ROOT("impostor-root"),
        IMPOSTOR_HQ_SIGN("impostor-hq-eur-sign");

        final String file;

        Cred(String file) {
            this.file = file;
        }
    }

    private final Map<Cred, KeyCredential> credentials;
    private final X509CRL crl;
    private final PkixCertificateValidator validator;

    private CorpusPki(Map<Cred, KeyCredential> credentials, X509CRL crl) {
        this.credentials = Map.copyOf(credentials);
        this.crl = crl;
        TrustStore trust = TrustStore.of(List.of(root()));
        trust.update(crl);
        this.validator = new PkixCertificateValidator(trust, CLOCK);
    }

    /** Reads the committed PKI. */
    static CorpusPki load(Path pkiDir) {
        Map<Cred, X509Certificate> certs = new EnumMap<>(Cred.class);
        Map<Cred, PrivateKey> keys = new EnumMap<>(Cred.class);
        for (Cred c : Cred.values()) {
            certs.put(c, Pem.readCertificates(read(pkiDir.resolve(c.file + ".pem"))).get(0));
            keys.put(c, Pem.readPrivateKey(read(pkiDir.resolve(c.file + ".key")), Optional.empty()));
        }
        Map<Cred, KeyCredential> creds = new EnumMap<>(Cred.class);
        for (Cred c : Cred.values()) {
            X509Certificate cert = certs.get(c);
            Cred issuer = issuerOf(c);
            List<X509Certificate> chain = issuer == c ? List.of(cert) : List.of(cert, certs.get(issuer));
            creds.put(c, KeyCredential.of(keys.get(c), chain));
        }
        return new CorpusPki(creds, Pem.readCrl(read(pkiDir.resolve("crl.pem"))));
    }

    /** Reuses the committed PKI, or creates and writes a new one when the directory has none. */
    static CorpusPki loadOrCreate(Path pkiDir) throws IOException {
        if (Files.exists(pkiDir.resolve(Cred.ROOT.file + ".pem"))) {
            return load(pkiDir);
        }
        CorpusPki created = create();
        created.write(pkiDir);
        return load(pkiDir);
    }

    private static CorpusPki create() {
        Clock issuing = Clock.fixed(ISSUED, ZoneOffset.UTC);
        LocalCertificateAuthority root = LocalCertificateAuthority.createRoot(ROOT_NAME, ROOT_VALIDITY, issuing);
        LocalCertificateAuthority rogue = LocalCertificateAuthority.createRoot("Pouch Rogue Root", ROOT_VALIDITY, issuing);
        LocalCertificateAuthority impostor = LocalCertificateAuthority.createRoot(ROOT_NAME, ROOT_VALIDITY, issuing);
        Map<Cred, KeyCredential> c = new EnumMap<>(Cred.class);
        c.put(Cred.ROOT, root.credential());
        c.put(Cred.ROGUE_ROOT, rogue.credential());
        c.put(Cred.IMPOSTOR_ROOT, impostor.credential());
        Identity hq = org("HQ-EUR");
        c.put(Cred.HQ_SIGN, root.issue(CertificateProfile.ORGANIZATION_SIGNING, hq, LEAF_VALIDITY));
        c.put(Cred.HQ_KA, root.issue(CertificateProfile.ORGANIZATION_KEY_AGREEMENT, hq, LEAF_VALIDITY));
        c.put(Cred.FR_SIGN, root.issue(CertificateProfile.ORGANIZATION_SIGNING, org("FR-EMB"), LEAF_VALIDITY));
        c.put(Cred.FR_KA, root.issue(CertificateProfile.ORGANIZATION_KEY_AGREEMENT, org("FR-EMB"), LEAF_VALIDITY));
        c.put(Cred.IT_SIGN, root.issue(CertificateProfile.ORGANIZATION_SIGNING, org("IT-EMB"), LEAF_VALIDITY));
        c.put(Cred.IT_KA, root.issue(CertificateProfile.ORGANIZATION_KEY_AGREEMENT, org("IT-EMB"), LEAF_VALIDITY));
        c.put(Cred.DE_SIGN, root.issue(CertificateProfile.ORGANIZATION_SIGNING, org("DE-EMB"), LEAF_VALIDITY));
        c.put(Cred.DE_KA, root.issue(CertificateProfile.ORGANIZATION_KEY_AGREEMENT, org("DE-EMB"), LEAF_VALIDITY));
        c.put(Cred.ARCHIVE_KA, root.issue(CertificateProfile.ARCHIVE_KEY_AGREEMENT, Identity.archive(), LEAF_VALIDITY));
        c.put(Cred.HQ_STAFF_TLS, root.issue(CertificateProfile.STAFF_TLS_CLIENT,
                Identity.staff(OrgCode.of("HQ-EUR"), "alice"), LEAF_VALIDITY));
        c.put(Cred.HQ_SIGN_EXPIRED, certified(root, hq, EXPIRED_NOT_BEFORE, EXPIRED_NOT_AFTER));
        c.put(Cred.HQ_SIGN_REVOKED, certified(root, hq, ISSUED, ISSUED.plus(LEAF_VALIDITY)));
        c.put(Cred.ROGUE_HQ_SIGN, rogue.issue(CertificateProfile.ORGANIZATION_SIGNING, hq, LEAF_VALIDITY));
        c.put(Cred.IMPOSTOR_HQ_SIGN, impostor.issue(CertificateProfile.ORGANIZATION_SIGNING, hq, LEAF_VALIDITY));
        X509CRL crl = root.issueCrl(1, List.of(new Revocation(
                        c.get(Cred.HQ_SIGN_REVOKED).certificate().getSerialNumber(), REVOKED_AT, RevocationReason.KEY_COMPROMISE)),
                CRL_THIS_UPDATE, CRL_NEXT_UPDATE);
        return new CorpusPki(c, crl);
    }

    private static KeyCredential certified(LocalCertificateAuthority ca, Identity id, Instant notBefore, Instant notAfter) {
        KeyPair keys = EcKeys.generateKeyPair();
        X509Certificate cert = ca.certify(CertificateProfile.ORGANIZATION_SIGNING, id, keys.getPublic(), notBefore, notAfter);
        return KeyCredential.of(keys.getPrivate(), List.of(cert, ca.certificate()));
    }

    private void write(Path pkiDir) throws IOException {
        Files.createDirectories(pkiDir);
        for (Cred c : Cred.values()) {
            Files.writeString(pkiDir.resolve(c.file + ".pem"), Pem.certificate(credentials.get(c).certificate()));
            Files.writeString(pkiDir.resolve(c.file + ".key"), Pem.privateKey(credentials.get(c).privateKey()));
        }
        Files.writeString(pkiDir.resolve("crl.pem"), Pem.crl(crl));
    }

    private static Cred issuerOf(Cred c) {
        return switch (c) {
            case ROOT, ROGUE_ROOT, IMPOSTOR_ROOT -> c;
            case ROGUE_HQ_SIGN -> Cred.ROGUE_ROOT;
            case IMPOSTOR_HQ_SIGN -> Cred.IMPOSTOR_ROOT;
            default -> Cred.ROOT;
        };
    }

    private static Identity org(String code) {
        return Identity.organization(OrgCode.of(code));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("corpus PKI file missing: " + file, e);
        }
    }

    KeyCredential credential(Cred c) {
        return credentials.get(c);
    }

    X509Certificate certificate(Cred c) {
        return credentials.get(c).certificate();
    }

    X509Certificate root() {
        return certificate(Cred.ROOT);
    }

    /** A validator trusting only the corpus root, with the committed CRL, judging at {@link #NOW}. */
    PkixCertificateValidator validator() {
        return validator;
    }

    /** The opener of {@code name}: {@code FR-EMB}, {@code IT-EMB}, {@code DE-EMB} or {@code ARCHIVE}. */
    CmsOpener opener(String name) {
        Cred keyAgreement = switch (name) {
            case "FR-EMB" -> Cred.FR_KA;
            case "IT-EMB" -> Cred.IT_KA;
            case "DE-EMB" -> Cred.DE_KA;
            case "HQ-EUR" -> Cred.HQ_KA;
            case "ARCHIVE" -> Cred.ARCHIVE_KA;
            default -> throw new IllegalArgumentException("unknown opener " + name);
        };
        return CmsOpener.builder().recipient(credential(keyAgreement)).validator(validator).build();
    }
}
