package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.internal.Bc;
import dev.pouch.crypto.internal.EcKeys;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * A certificate authority whose key is held in this process (the exchange root CA).
 *
 * <p>Security guarantees: see {@link CertificateAuthority}. Certificates are backdated by
 * {@link #CLOCK_SKEW} so that a peer whose clock is slightly behind accepts them.
 */
public final class LocalCertificateAuthority implements CertificateAuthority {

    /** How far notBefore is set in the past to tolerate clock skew between machines. */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final String ORGANIZATION_NAME = "Pouch Exchange";

    private final KeyCredential credential;
    private final Clock clock;

    private LocalCertificateAuthority(KeyCredential credential, Clock clock) {
        this.credential = credential;
        this.clock = clock;
    }

    /** Creates a new self-signed ECDSA P-256 root. */
    public static LocalCertificateAuthority createRoot(String commonName, Duration validity, Clock clock) {
        KeyPair keys = EcKeys.generateKeyPair();
        Instant now = clock.instant();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, ORGANIZATION_NAME)
                .addRDN(BCStyle.CN, commonName)
                .build();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), name, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate root = toCertificate(builder.build(signer(keys.getPrivate())));
            return new LocalCertificateAuthority(KeyCredential.of(keys.getPrivate(), List.of(root)), clock);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot create root certificate", e);
        }
    }

    /** Re-opens an authority from its stored credential (for instance read from PKCS#12). */
    public static LocalCertificateAuthority fromCredential(KeyCredential credential, Clock clock) {
        if (credential.certificate().getBasicConstraints() < 0) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID, "not a CA certificate");
        }
        return new LocalCertificateAuthority(credential, Objects.requireNonNull(clock));
    }

    /** The authority's key and certificate, for storage. */
    public KeyCredential credential() {
        return credential;
    }

    @Override
    public X509Certificate certificate() {
        return credential.certificate();
    }

    @Override
    public KeyCredential issue(CertificateProfile profile, Identity identity, Duration validity) {
        KeyPair keys = EcKeys.generateKeyPair();
        Instant now = clock.instant();
        X509Certificate cert = certify(profile, identity, keys.getPublic(), now.minus(CLOCK_SKEW), now.plus(validity));
        List<X509Certificate> chain = new ArrayList<>(List.of(cert));
        chain.addAll(credential.chain());
        return KeyCredential.of(keys.getPrivate(), chain);
    }

    @Override
    public X509Certificate certify(CertificateProfile profile, Identity identity, PublicKey publicKey,
            Instant notBefore, Instant notAfter) {
        if (profile == CertificateProfile.ROOT_CA || !profile.admits(identity)) {
            throw new CryptoException(CryptoError.INVALID_REQUEST,
                    "profile " + profile + " cannot certify identity " + identity);
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, "notAfter must be after notBefore");
        }
        EcKeys.pointBytes(publicKey); // refuses anything but P-256
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate(), serial(),
                    Date.from(notBefore), Date.from(notAfter), subject(profile, identity), publicKey)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, keyUsage(profile))
                    .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(certificate()));
            ExtendedKeyUsage eku = extendedKeyUsage(profile);
            if (eku != null) {
                builder.addExtension(Extension.extendedKeyUsage, false, eku);
            }
            builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(identity));
            return toCertificate(builder.build(signer(credential.privateKey())));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue certificate", e);
        }
    }

    @Override
    public X509CRL issueCrl(long crlNumber, Collection<Revocation> revoked, Instant thisUpdate, Instant nextUpdate) {
        if (crlNumber < 0 || !nextUpdate.isAfter(thisUpdate)) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, "CRL number must be >= 0 and nextUpdate after thisUpdate");
        }
        try {
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(certificate().getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            builder.setNextUpdate(Date.from(nextUpdate));
            for (Revocation r : revoked) {
                builder.addCRLEntry(r.serialNumber(), Date.from(r.revokedAt()), r.reason().code());
            }
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(crlNumber)));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate()));
            X509CRLHolder holder = builder.build(signer(credential.privateKey()));
            return new JcaX509CRLConverter().setProvider(Bc.PROVIDER).getCRL(holder);
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue CRL", e);
        }
    }

    private static X500Name subject(CertificateProfile profile, Identity identity) {
        X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ORGANIZATION_NAME);
        identity.organization().ifPresent(org -> name.addRDN(BCStyle.OU, org.value()));
        String cn = switch (profile) {
            case ORGANIZATION_SIGNING -> identity.requireOrganization() + " document signing";
            case ORGANIZATION_KEY_AGREEMENT -> identity.requireOrganization() + " key agreement";
            case ARCHIVE_KEY_AGREEMENT -> "Exchange archive";
            case STAFF_TLS_CLIENT -> identity.staffId().orElseThrow();
            case EXCHANGE_TLS -> "Exchange node";
            case EXCHANGE_SIGNING -> "Exchange signing";
            case ROOT_CA -> throw new IllegalArgumentException("root");
        };
        return name.addRDN(BCStyle.CN, cn).build();
    }

    private static KeyUsage keyUsage(CertificateProfile profile) {
        return switch (profile) {
            case ORGANIZATION_SIGNING, EXCHANGE_SIGNING -> new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
            case ORGANIZATION_KEY_AGREEMENT, ARCHIVE_KEY_AGREEMENT -> new KeyUsage(KeyUsage.keyAgreement);
            case STAFF_TLS_CLIENT, EXCHANGE_TLS -> new KeyUsage(KeyUsage.digitalSignature);
            case ROOT_CA -> new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign);
        };
    }

    private static ExtendedKeyUsage extendedKeyUsage(CertificateProfile profile) {
        return switch (profile) {
            case STAFF_TLS_CLIENT -> new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth);
            case EXCHANGE_TLS -> new ExtendedKeyUsage(new KeyPurposeId[] {
                    KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
            default -> null;
        };
    }

    private static GeneralNames subjectAltNames(Identity identity) {
        List<GeneralName> names = new ArrayList<>();
        names.add(new GeneralName(GeneralName.uniformResourceIdentifier, identity.uri().orElseThrow()));
        if (identity.kind() == IdentityKind.EXCHANGE) {
            // Nodes listen on loopback by default; operators issue node certificates for real names.
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
        }
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static ContentSigner signer(java.security.PrivateKey key) {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Bc.PROVIDER).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException("cannot create certificate signer", e);
        }
    }

    private static X509Certificate toCertificate(X509CertificateHolder holder) {
        // The JDK's own provider parses the result, so certificates behave the same wherever they come from.
        try {
            return Certificates.parse(holder.getEncoded());
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    private static BigInteger serial() {
        return new BigInteger(127, Bc.random()).setBit(126);
    }
}
