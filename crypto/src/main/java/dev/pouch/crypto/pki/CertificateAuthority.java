package dev.pouch.crypto.pki;

import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;

/**
 * Issues the exchange's certificates and revocation lists.
 *
 * <p>Security guarantees: every certificate carries exactly one Pouch identity, the key usage of
 * its {@link CertificateProfile}, a random 127-bit serial number, and authority and subject key
 * identifiers; a profile refuses identities it cannot name.
 */
public interface CertificateAuthority {

    /** The authority's own certificate (a trust anchor for validators). */
    X509Certificate certificate();

    /** Generates a fresh P-256 key pair and certifies it. */
    KeyCredential issue(CertificateProfile profile, Identity identity, Duration validity);

    /** Certifies an existing public key for an explicit validity window. */
    X509Certificate certify(CertificateProfile profile, Identity identity, PublicKey publicKey,
            Instant notBefore, Instant notAfter);

    /**
     * Issues a CRL listing {@code revoked}. {@code crlNumber} must grow with every list the
     * authority issues; validators keep the highest one they have seen.
     */
    X509CRL issueCrl(long crlNumber, Collection<Revocation> revoked, Instant thisUpdate, Instant nextUpdate);
}
