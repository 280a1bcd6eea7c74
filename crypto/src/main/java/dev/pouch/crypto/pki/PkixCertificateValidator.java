package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.internal.EcKeys;

import java.security.GeneralSecurityException;
import java.security.cert.CRLReason;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXCertPathValidatorResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JDK's PKIX path validator, plus revocation from the {@link TrustStore}'s current CRLs and the
 * usage rules of {@link CertificateUsage}.
 *
 * <p>Security guarantees: see {@link CertificateValidator}. Revocation is judged with the newest
 * CRL (it must be current now, not merely at the validation time): a certificate revoked on or
 * before the validation time is refused, and one revoked for key compromise is refused at any
 * time. The result of the signature-chain check is cached per chain, because it cannot change;
 * validity dates, revocation and usage are checked on every call.
 */
public final class PkixCertificateValidator implements CertificateValidator {

    private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";
    private static final int MAX_CACHED_CHAINS = 16_384;
    /** A CRL dated this far in the future is taken as a clock problem, not as current. */
    private static final Duration CRL_FUTURE_TOLERANCE = Duration.ofMinutes(10);

    private final TrustStore trust;
    private final Clock clock;
    private final Map<List<X509Certificate>, X509Certificate> verifiedChains = new ConcurrentHashMap<>();

    public PkixCertificateValidator(TrustStore trust, Clock clock) {
        this.trust = Objects.requireNonNull(trust);
        this.clock = Objects.requireNonNull(clock);
    }

    public TrustStore trustStore() {
        return trust;
    }

    @Override
    public ValidatedCertificate validate(List<X509Certificate> chain, CertificateUsage usage, ValidationTime at) {
        return validate(chain, usage, at, true);
    }

    /**
     * Like {@link #validate}, except that a missing or outdated CRL does not fail the check (a
     * current CRL that lists the certificate still does). Only for the one place where the CRL
     * can only arrive afterwards: a client checking the exchange's TLS certificate, which must
     * then install the CRL the exchange sends and {@link #validate} the certificate again before
     * it trusts the connection with anything.
     */
    public ValidatedCertificate validateDeferringRevocation(List<X509Certificate> chain, CertificateUsage usage,
            ValidationTime at) {
        return validate(chain, usage, at, false);
    }

    private ValidatedCertificate validate(List<X509Certificate> chain, CertificateUsage usage, ValidationTime at,
            boolean requireCurrentCrl) {
        Objects.requireNonNull(usage, "usage");
        Instant time = at.resolve(clock);
        Instant now = clock.instant();
        List<X509Certificate> certs = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (!trust.anchors().contains(c)) {
                certs.add(c);
            }
        }
        if (certs.isEmpty()) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID, "an authority certificate is not an end-entity certificate");
        }
        X509Certificate leaf = certs.get(0);
        for (X509Certificate c : certs) {
            if (!ECDSA_WITH_SHA256.equals(c.getSigAlgOID())) {
                throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM,
                        "certificate signature algorithm " + c.getSigAlgOID() + " is not allowed");
            }
        }
        EcKeys.pointBytes(leaf.getPublicKey());

        X509Certificate anchor = verifiedChains.get(certs);
        if (anchor == null) {
            anchor = pkix(certs, time);
            if (verifiedChains.size() >= MAX_CACHED_CHAINS) {
                verifiedChains.clear();
            }
            verifiedChains.put(List.copyOf(certs), anchor);
        }
        List<X509Certificate> path = new ArrayList<>(certs);
        path.add(anchor);
        for (X509Certificate c : path) {
            checkValidity(c, time);
        }
        for (X509Certificate c : certs) {
            if (requireCurrentCrl || hasCurrentCrl(c, now)) {
                checkRevocation(c, time, now);
            }
        }
        checkUsage(leaf, usage);
        Identity identity = Identity.of(leaf);
        if (!usage.kinds().contains(identity.kind())) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID,
                    "a " + identity.kind() + " certificate cannot be used for " + usage);
        }
        return new ValidatedCertificate(leaf, identity, usage, time, path);
    }

    private X509Certificate pkix(List<X509Certificate> certs, Instant time) {
        try {
            CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(certs);
            PKIXParameters params = new PKIXParameters(trust.trustAnchors());
            params.setRevocationEnabled(false); // revocation is ours: see checkRevocation
            params.setDate(Date.from(time));
            PKIXCertPathValidatorResult result =
                    (PKIXCertPathValidatorResult) CertPathValidator.getInstance("PKIX").validate(path, params);
            return result.getTrustAnchor().getTrustedCert();
        } catch (CertPathValidatorException e) {
            throw mapPkixFailure(e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoError.CERTIFICATE_UNTRUSTED, "path validation failed: " + e.getMessage(), e);
        }
    }

    private static CryptoException mapPkixFailure(CertPathValidatorException e) {
        CertPathValidatorException.Reason reason = e.getReason();
        if (reason == CertPathValidatorException.BasicReason.EXPIRED
                || reason == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
            return new CryptoException(CryptoError.CERTIFICATE_EXPIRED, "certificate not valid at the validation time", e);
        }
        if (reason == PKIXReason.INVALID_KEY_USAGE) {
            return new CryptoException(CryptoError.KEY_USAGE_INVALID, "an issuer may not sign certificates", e);
        }
        if (reason == PKIXReason.NO_TRUST_ANCHOR) {
            return new CryptoException(CryptoError.CERTIFICATE_UNTRUSTED, "no trusted exchange authority issued this certificate", e);
        }
        return new CryptoException(CryptoError.CERTIFICATE_UNTRUSTED, "path validation failed: " + reason, e);
    }

    private static void checkValidity(X509Certificate c, Instant time) {
        try {
            c.checkValidity(Date.from(time));
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new CryptoException(CryptoError.CERTIFICATE_EXPIRED,
                    "certificate " + c.getSubjectX500Principal() + " not valid at " + time, e);
        }
    }

    private boolean hasCurrentCrl(X509Certificate c, Instant now) {
        return trust.crlFor(c.getIssuerX500Principal()).filter(crl -> isCurrent(crl, now)).isPresent();
    }

    private static boolean isCurrent(X509CRL crl, Instant now) {
        return crl.getNextUpdate() != null && !crl.getNextUpdate().toInstant().isBefore(now)
                && !crl.getThisUpdate().toInstant().isAfter(now.plus(CRL_FUTURE_TOLERANCE));
    }

    private void checkRevocation(X509Certificate c, Instant time, Instant now) {
        X509CRL crl = trust.crlFor(c.getIssuerX500Principal()).orElseThrow(() -> new CryptoException(
                CryptoError.REVOCATION_UNAVAILABLE, "no CRL from " + c.getIssuerX500Principal()));
        if (!isCurrent(crl, now)) {
            throw new CryptoException(CryptoError.REVOCATION_UNAVAILABLE,
                    "the CRL from " + c.getIssuerX500Principal() + " is not current");
        }
        X509CRLEntry entry = crl.getRevokedCertificate(c);
        if (entry == null) {
            return;
        }
        CRLReason reason = entry.getRevocationReason();
        boolean compromised = reason == CRLReason.KEY_COMPROMISE || reason == CRLReason.CA_COMPROMISE;
        if (compromised || !entry.getRevocationDate().toInstant().isAfter(time)) {
            throw new CryptoException(CryptoError.CERTIFICATE_REVOKED, "certificate " + c.getSerialNumber().toString(16)
                    + " revoked at " + entry.getRevocationDate().toInstant() + (reason == null ? "" : " (" + reason + ")"));
        }
    }

    private static void checkUsage(X509Certificate leaf, CertificateUsage usage) {
        boolean[] ku = leaf.getKeyUsage();
        List<String> eku;
        try {
            eku = leaf.getExtendedKeyUsage();
        } catch (java.security.cert.CertificateParsingException e) {
            throw new CryptoException(CryptoError.MALFORMED, "unreadable extended key usage", e);
        }
        if (leaf.getBasicConstraints() >= 0) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID, "a CA certificate cannot be used as an end entity");
        }
        boolean ok = ku != null && switch (usage) {
            case DOCUMENT_SIGNING -> bit(ku, 0) && bit(ku, 1) && eku == null;
            case KEY_AGREEMENT -> bit(ku, 4) && eku == null;
            case TLS_CLIENT -> bit(ku, 0) && eku != null && eku.contains(CertificateUsage.EKU_CLIENT_AUTH);
            case TLS_SERVER -> bit(ku, 0) && eku != null && eku.contains(CertificateUsage.EKU_SERVER_AUTH);
        };
        if (!ok) {
            throw new CryptoException(CryptoError.KEY_USAGE_INVALID,
                    "certificate " + leaf.getSubjectX500Principal() + " is not issued for " + usage);
        }
    }

    private static boolean bit(boolean[] bits, int index) {
        return bits.length > index && bits[index];
    }
}
