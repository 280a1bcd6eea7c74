package dev.pouch.server.submission;

import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.seal.CmsOpener;
import dev.pouch.crypto.seal.OpenedDocument;
import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.server.archive.BlobStore;

import java.io.InputStream;
import java.util.List;

/**
 * The plaintext of a large document, read from its stored parts one part at a time (each checked
 * against the signed manifest as it is decrypted), so inspecting a 1 GiB file never holds more
 * than one 16 MiB part.
 */
final class PartReader {

    private final OpenedDocument main;
    private final List<BlobStore.Info> parts;
    private final BlobStore blobs;
    private final CmsOpener opener;
    private final int partSize;

    PartReader(OpenedDocument main, List<BlobStore.Info> parts, BlobStore blobs, CmsOpener opener) {
        this.main = main;
        this.parts = parts;
        this.blobs = blobs;
        this.opener = opener;
        this.partSize = main.manifest().orElseThrow().partSize();
    }

    /** Parts already decrypted and checked (while the attachments were read, or by {@link #verifyRemaining}). */
    private final java.util.BitSet verified = new java.util.BitSet();

    /**
     * Decrypts and checks against the signed manifest every part not read yet: after inspection,
     * which reads (and so checks) the parts it gets to, each part is decrypted once, not twice.
     */
    void verifyRemaining() {
        for (int i = verified.nextClearBit(0); i < parts.size(); i = verified.nextClearBit(i + 1)) {
            part(i);
        }
    }

    private byte[] part(int index) {
        try {
            byte[] plain = opener.openPart(main, index, blobs.read(parts.get(index).id()));
            verified.set(index);
            return plain;
        } catch (CryptoException e) {
            throw new ProtocolException(ErrorCode.of(e.error()), "part " + index + ": " + e.detail(), null, e);
        }
    }

    /** {@code length} plaintext bytes from {@code start}, decrypting parts as the reader gets to them. */
    InputStream stream(long start, long length) {
        return new InputStream() {
            private long position = start;
            private final long end = start + length;
            private int loaded = -1;
            private byte[] plain;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= end) {
                    return -1;
                }
                int index = (int) (position / partSize);
                if (index != loaded) {
                    plain = part(index);
                    loaded = index;
                }
                int within = (int) (position - (long) index * partSize);
                int n = (int) Math.min(Math.min(len, plain.length - within), end - position);
                System.arraycopy(plain, within, b, off, n);
                position += n;
                return n;
            }
        };
    }
}
