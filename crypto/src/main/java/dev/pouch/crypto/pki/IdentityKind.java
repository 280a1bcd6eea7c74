package dev.pouch.crypto.pki;

/** What a certificate's subject is. */
public enum IdentityKind {
    /** An HQ department or overseas office: signs and receives documents. */
    ORGANIZATION,
    /** A person of one organization: authenticates TLS connections. */
    STAFF,
    /** The exchange archive: receives a copy of every document for storage and search. */
    ARCHIVE,
    /** An exchange server node: TLS server, and signer of the exchange's own records. */
    EXCHANGE,
    /** A certification authority. */
    AUTHORITY
}
