package dev.pouch.crypto.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * A certificate that passed validation for one usage at one time, with the identity it names.
 * Only a {@link CertificateValidator} makes these.
 */
public record ValidatedCertificate(X509Certificate certificate, Identity identity, CertificateUsage usage,
        Instant validatedAt, List<X509Certificate> path) {
    public ValidatedCertificate {
        path = List.copyOf(path);
    }
}
