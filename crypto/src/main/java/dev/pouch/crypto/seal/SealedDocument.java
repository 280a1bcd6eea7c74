package dev.pouch.crypto.seal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * A sealed document as DER: a CMS {@code ContentInfo} holding {@code AuthEnvelopedData}, whose
 * content is the signed document. This is the exact byte string that travels and is archived.
 */
public final class SealedDocument {

    private final UUID documentId;
    private final byte[] encoded;

    SealedDocument(UUID documentId, byte[] encoded) {
        this.documentId = Objects.requireNonNull(documentId);
        this.encoded = Objects.requireNonNull(encoded);
    }

    public UUID documentId() {
        return documentId;
    }

    /** A copy of the DER bytes. */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** A read-only view of the DER bytes, without copying. */
    public ByteBuffer view() {
        return ByteBuffer.wrap(encoded).asReadOnlyBuffer();
    }

    public int size() {
        return encoded.length;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(encoded);
    }

    @Override
    public String toString() {
        return "SealedDocument[" + documentId + ", " + encoded.length + " bytes]";
    }
}
