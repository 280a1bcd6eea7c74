package dev.pouch.crypto.receipt;

/**
 * Makes the signed receipt a recipient returns for a document it received and verified.
 *
 * <p>Security guarantees: only an organization among the original's signed recipients can sign a
 * receipt for it; the receipt binds the original's signature value and, through
 * {@code msgSigDigest}, its signed attributes.
 */
public interface ReceiptSigner {

    SignedReceipt sign(OriginalSignature original);
}
