package dev.pouch.crypto.receipt;

import dev.pouch.crypto.document.OrgCode;

import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a receipt is checked against: the original document's signature and signed attributes.
 * The exchange keeps this (a few hundred bytes) for every document, so it can verify receipts
 * without decrypting the document again.
 *
 * @param contentTypeOid           the original's eContentType, dotted
 * @param signedContentIdentifier  from the original's receipt request
 * @param signatureValue           the original signer's signature value
 * @param signedAttributes         DER of the original's signed attributes (as a SET)
 */
public record OriginalSignature(UUID documentId, OrgCode sender, List<OrgCode> recipients, String contentTypeOid,
        byte[] signedContentIdentifier, byte[] signatureValue, byte[] signedAttributes) {

    public OriginalSignature {
        Objects.requireNonNull(documentId);
        Objects.requireNonNull(sender);
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(contentTypeOid);
        signedContentIdentifier = signedContentIdentifier.clone();
        signatureValue = signatureValue.clone();
        signedAttributes = signedAttributes.clone();
    }

    @Override
    public byte[] signedContentIdentifier() {
        return signedContentIdentifier.clone();
    }

    @Override
    public byte[] signatureValue() {
        return signatureValue.clone();
    }

    @Override
    public byte[] signedAttributes() {
        return signedAttributes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OriginalSignature s && documentId.equals(s.documentId)
                && java.util.Arrays.equals(signatureValue, s.signatureValue)
                && java.util.Arrays.equals(signedAttributes, s.signedAttributes);
    }

    @Override
    public int hashCode() {
        return documentId.hashCode();
    }

    @Override
    public String toString() {
        return "OriginalSignature[" + documentId + ", signature " + HexFormat.of().formatHex(signatureValue, 0,
                Math.min(8, signatureValue.length)) + "…]";
    }
}
