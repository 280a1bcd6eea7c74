package dev.pouch.crypto.document;

/** Who besides the addressed organizations may find a document in the shared archive. */
public enum SharingScope {
    /** Only the sender and the addressed organizations. */
    RECIPIENTS,
    /** Also every HQ department. */
    ALL_HQ,
    /** Every organization on the exchange (still subject to clearance). */
    EXCHANGE
}
