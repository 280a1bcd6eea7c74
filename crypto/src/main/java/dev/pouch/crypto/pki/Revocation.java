package dev.pouch.crypto.pki;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/** One entry of a certificate revocation list. */
public record Revocation(BigInteger serialNumber, Instant revokedAt, RevocationReason reason) {
    public Revocation {
        Objects.requireNonNull(serialNumber);
        Objects.requireNonNull(revokedAt);
        Objects.requireNonNull(reason);
    }
}
