package dev.pouch.crypto.pki;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a certificate is being used for when it is validated. Each usage requires key usage bits,
 * an extended key usage (or its absence) and an identity kind; anything else is refused with
 * {@code KEY_USAGE_INVALID}, so a key-agreement certificate cannot sign and a TLS certificate
 * cannot seal.
 */
public enum CertificateUsage {
    DOCUMENT_SIGNING(EnumSet.of(IdentityKind.ORGANIZATION, IdentityKind.EXCHANGE)),
    KEY_AGREEMENT(EnumSet.of(IdentityKind.ORGANIZATION, IdentityKind.ARCHIVE)),
    TLS_CLIENT(EnumSet.of(IdentityKind.STAFF, IdentityKind.EXCHANGE)),
    TLS_SERVER(EnumSet.of(IdentityKind.EXCHANGE));

    static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final Set<IdentityKind> kinds;

    CertificateUsage(Set<IdentityKind> kinds) {
        this.kinds = kinds;
    }

    /** Identity kinds allowed for this usage. */
    public Set<IdentityKind> kinds() {
        return EnumSet.copyOf(kinds);
    }
}
