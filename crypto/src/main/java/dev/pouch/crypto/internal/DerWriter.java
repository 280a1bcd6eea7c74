package dev.pouch.crypto.internal;

/**
 * Writes DER headers into a buffer whose exact size is known in advance, so that large contents
 * are written (or encrypted) in place, once.
 */
public final class DerWriter {

    private final byte[] buffer;
    private int position;

    public DerWriter(byte[] buffer, int offset) {
        this.buffer = buffer;
        this.position = offset;
    }

    /** Bytes a header for {@code contentLength} takes. */
    public static int headerLength(long contentLength) {
        return 1 + lengthOctets(contentLength);
    }

    /** Total size of an element with {@code contentLength} bytes of contents. */
    public static long elementLength(long contentLength) {
        return headerLength(contentLength) + contentLength;
    }

    private static int lengthOctets(long length) {
        if (length < 0x80) {
            return 1;
        }
        return 1 + (Long.SIZE - Long.numberOfLeadingZeros(length) + 7) / 8;
    }

    /** Writes a tag and a definite length. */
    public DerWriter header(int tag, long contentLength) {
        buffer[position++] = (byte) tag;
        if (contentLength < 0x80) {
            buffer[position++] = (byte) contentLength;
        } else {
            int octets = lengthOctets(contentLength) - 1;
            buffer[position++] = (byte) (0x80 | octets);
            for (int i = octets - 1; i >= 0; i--) {
                buffer[position++] = (byte) (contentLength >>> (8 * i));
            }
        }
        return this;
    }

    public DerWriter bytes(byte[] bytes) {
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
        return this;
    }

    public int position() {
        return position;
    }

    /** Marks {@code count} bytes as written by someone else (an encryption into the buffer). */
    public DerWriter skip(int count) {
        position += count;
        return this;
    }
}
