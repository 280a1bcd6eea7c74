package dev.pouch.crypto.pki;

/** The keys a credential file can hold, by the alias each is stored under. */
public enum CredentialRole {
    /** A staff member's (or node's) TLS key. */
    TLS("tls"),
    /** The organization's document-signing key. */
    SIGNING("signing"),
    /** The organization's (or archive's) key-agreement key. */
    KEY_AGREEMENT("key-agreement"),
    /** A certification authority's key. */
    AUTHORITY("authority");

    private final String alias;

    CredentialRole(String alias) {
        this.alias = alias;
    }

    public String alias() {
        return alias;
    }
}
