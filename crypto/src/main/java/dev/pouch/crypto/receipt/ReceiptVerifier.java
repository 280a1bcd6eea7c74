package dev.pouch.crypto.receipt;

import dev.pouch.crypto.ValidationTime;

/**
 * Checks a signed receipt against the original document's signature.
 *
 * <p>Security guarantees: the receipt's own signature and signer certificate are verified as
 * strictly as a document's; its content type, content identifier, originator signature value and
 * {@code msgSigDigest} must all match the original; and its signer must be one of the original's
 * signed recipients. Failures throw {@code RECEIPT_INVALID} or the validation error.
 */
public interface ReceiptVerifier {

    VerifiedReceipt verify(byte[] receipt, OriginalSignature original, ValidationTime at);
}
