package dev.pouch.crypto.receipt;

import dev.pouch.crypto.document.OrgCode;

import java.util.Objects;
import java.util.UUID;

/**
 * An ESS signed receipt (RFC 2634): a DER {@code ContentInfo(SignedData)} with content type
 * {@code id-ct-receipt}, signed by the receiving organization.
 */
public final class SignedReceipt {

    private final UUID documentId;
    private final OrgCode recipient;
    private final byte[] encoded;

    SignedReceipt(UUID documentId, OrgCode recipient, byte[] encoded) {
        this.documentId = Objects.requireNonNull(documentId);
        this.recipient = Objects.requireNonNull(recipient);
        this.encoded = Objects.requireNonNull(encoded);
    }

    public UUID documentId() {
        return documentId;
    }

    public OrgCode recipient() {
        return recipient;
    }

    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public String toString() {
        return "SignedReceipt[" + documentId + " from " + recipient + "]";
    }
}
