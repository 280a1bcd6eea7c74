package dev.pouch.crypto.seal;

import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.pki.ValidatedCertificate;
import dev.pouch.crypto.receipt.OriginalSignature;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A document that decrypted, whose signature verified and whose signer was validated. Only an
 * {@link Opener} makes these.
 */
public final class OpenedDocument {

    private final DocumentHeader header;
    private final ValidatedCertificate signer;
    private final Instant claimedSigningTime;
    private final byte[] signedData;
    private final int contentOffset;
    private final int contentLength;
    private final PartManifest manifest;
    private final OriginalSignature originalSignature;

    /** The content is {@code signedData[contentOffset, contentOffset + contentLength)}, or absent when offset is -1. */
    OpenedDocument(DocumentHeader header, ValidatedCertificate signer, Instant claimedSigningTime, byte[] signedData,
            int contentOffset, int contentLength, PartManifest manifest, OriginalSignature originalSignature) {
        this.header = header;
        this.signer = signer;
        this.claimedSigningTime = claimedSigningTime;
        this.signedData = signedData;
        this.contentOffset = contentOffset;
        this.contentLength = contentLength;
        this.manifest = manifest;
        this.originalSignature = originalSignature;
    }

    /** The verified, signed header (including the classification from the signed label). */
    public DocumentHeader header() {
        return header;
    }

    /** The signer's certificate, validated for document signing. */
    public ValidatedCertificate signer() {
        return signer;
    }

    /**
     * The signing time the signer claims. Informational only: it is never used to judge
     * certificates.
     */
    public Instant claimedSigningTime() {
        return claimedSigningTime;
    }

    /** True for a large document whose content is in separate parts. */
    public boolean isParted() {
        return manifest != null;
    }

    /** The part manifest of a large document. */
    public Optional<PartManifest> manifest() {
        return Optional.ofNullable(manifest);
    }

    /** The content of an inline document, as a read-only view; empty for a parted one. */
    public Optional<ByteBuffer> content() {
        return manifest != null ? Optional.empty()
                : Optional.of(ByteBuffer.wrap(signedData, contentOffset, contentLength).slice().asReadOnlyBuffer());
    }

    /** A copy of the inline content. */
    public byte[] contentBytes() {
        if (manifest != null) {
            throw new IllegalStateException("a parted document's content is in its parts");
        }
        return java.util.Arrays.copyOfRange(signedData, contentOffset, contentOffset + contentLength);
    }

    /** The inline content split into its attachments, in header order. */
    public List<ByteBuffer> attachmentContents() {
        ByteBuffer all = content().orElseThrow(() -> new IllegalStateException("a parted document's content is in its parts"));
        List<ByteBuffer> result = new ArrayList<>();
        int offset = 0;
        for (Attachment a : header.attachments()) {
            result.add(all.slice(offset, (int) a.size()).asReadOnlyBuffer());
            offset += (int) a.size();
        }
        return result;
    }

    public void writeContent(OutputStream out) throws IOException {
        if (manifest != null) {
            throw new IllegalStateException("a parted document's content is in its parts");
        }
        out.write(signedData, contentOffset, contentLength);
    }

    /**
     * The signed document exactly as it was inside the envelope: a DER {@code ContentInfo}
     * holding {@code SignedData}. This is the evidence {@code openssl cms -verify} checks.
     */
    public byte[] signedData() {
        return signedData.clone();
    }

    /** What a receipt for this document is checked against. */
    public OriginalSignature originalSignature() {
        return originalSignature;
    }

    @Override
    public String toString() {
        return "OpenedDocument[" + header.documentId() + " from " + header.sender() + ", "
                + header.classification() + "]";
    }
}
