package dev.pouch.crypto.receipt;

import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.pki.ValidatedCertificate;

import java.time.Instant;
import java.util.UUID;

/**
 * A receipt that matched its original and whose signer was validated.
 *
 * @param claimedSigningTime when the recipient says it signed; informational only
 */
public record VerifiedReceipt(UUID documentId, OrgCode recipient, Instant claimedSigningTime, ValidatedCertificate signer) {
}
