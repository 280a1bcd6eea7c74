package dev.pouch.crypto.pki;

/**
 * The kinds of certificate the exchange authority issues. Each fixes key usage, extended key
 * usage and which identities it may name; {@link CertificateUsage} checks them on the way back in.
 */
public enum CertificateProfile {
    /** Exchange root CA: keyCertSign, cRLSign, basicConstraints CA. */
    ROOT_CA,
    /** An organization's document-signing key: digitalSignature and nonRepudiation. */
    ORGANIZATION_SIGNING,
    /** An organization's key-agreement key (documents are encrypted to it): keyAgreement. */
    ORGANIZATION_KEY_AGREEMENT,
    /** The exchange archive's key-agreement key. */
    ARCHIVE_KEY_AGREEMENT,
    /** A staff member's TLS client certificate: digitalSignature, clientAuth. */
    STAFF_TLS_CLIENT,
    /** An exchange node's TLS certificate: digitalSignature, serverAuth and clientAuth. */
    EXCHANGE_TLS,
    /** The exchange's own signing key (audit checkpoints, exchange notices). */
    EXCHANGE_SIGNING;

    /** Whether a certificate of this profile may name {@code identity}. */
    public boolean admits(Identity identity) {
        return switch (this) {
            case ROOT_CA -> identity.kind() == IdentityKind.AUTHORITY;
            case ORGANIZATION_SIGNING, ORGANIZATION_KEY_AGREEMENT -> identity.kind() == IdentityKind.ORGANIZATION;
            case ARCHIVE_KEY_AGREEMENT -> identity.kind() == IdentityKind.ARCHIVE;
            case STAFF_TLS_CLIENT -> identity.kind() == IdentityKind.STAFF;
            case EXCHANGE_TLS, EXCHANGE_SIGNING -> identity.kind() == IdentityKind.EXCHANGE;
        };
    }
}
