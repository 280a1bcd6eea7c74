package dev.pouch.crypto.pki;

/** Why a certificate was revoked (the RFC 5280 reason codes the exchange uses). */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The CRLReason value. */
    public int code() {
        return code;
    }

    /**
     * A compromised key cannot be trusted for anything it signed, even before the revocation
     * date; other reasons leave earlier signatures standing.
     */
    public boolean invalidatesEarlierUse() {
        return this == KEY_COMPROMISE;
    }
}
