package dev.pouch.crypto.internal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;

import java.util.Arrays;

/**
 * Walks definite-length DER by offsets, so that large octet strings are used in place instead of
 * copied. Lengths are checked against the enclosing element before anything is read, so an absurd
 * length fails fast. Indefinite lengths (BER) are reported with {@link NotDer}, and callers then
 * normalise the input to DER with Bouncy Castle and walk it again.
 */
public final class DerReader {

    /** The input uses BER features (indefinite lengths) that this reader does not walk. */
    public static final class NotDer extends RuntimeException {
        NotDer() {
            super("not definite-length DER", null, false, false);
        }
    }

    /** One element: its tag byte, and where its header and contents lie in the buffer. */
    public record Tlv(byte[] buffer, int tag, int start, int contentStart, int contentLength) {

        public int end() {
            return contentStart + contentLength;
        }

        /** The whole encoding, copied (for small elements handed to Bouncy Castle). */
        public byte[] encoding() {
            return Arrays.copyOfRange(buffer, start, end());
        }

        /** The contents, copied. */
        public byte[] contents() {
            return Arrays.copyOfRange(buffer, contentStart, end());
        }

        public boolean isConstructed() {
            return (tag & 0x20) != 0;
        }

        /** A reader over this element's contents. */
        public DerReader children() {
            if (!isConstructed()) {
                throw malformed("expected a constructed element");
            }
            return new DerReader(buffer, contentStart, end());
        }
    }

    private final byte[] buffer;
    private int position;
    private final int limit;

    public DerReader(byte[] buffer, int offset, int limit) {
        this.buffer = buffer;
        this.position = offset;
        this.limit = limit;
    }

    public static DerReader of(byte[] buffer) {
        return new DerReader(buffer, 0, buffer.length);
    }

    public boolean hasNext() {
        return position < limit;
    }

    /** The tag of the next element without consuming it, or -1 at the end. */
    public int peekTag() {
        return position < limit ? buffer[position] & 0xff : -1;
    }

    public Tlv next() {
        if (position >= limit) {
            throw malformed("element missing");
        }
        int start = position;
        int tag = buffer[position++] & 0xff;
        if ((tag & 0x1f) == 0x1f) {
            throw malformed("multi-byte tags are not used in this profile");
        }
        if (position >= limit) {
            throw malformed("truncated length");
        }
        int first = buffer[position++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else if (first == 0x80) {
            throw new NotDer();
        } else {
            int octets = first & 0x7f;
            if (octets > 4 || position + octets > limit) {
                throw malformed("length field too long or truncated");
            }
            length = 0;
            for (int i = 0; i < octets; i++) {
                length = (length << 8) | (buffer[position++] & 0xff);
            }
        }
        if (length > limit - position) {
            throw malformed("element of " + length + " bytes overruns its container");
        }
        Tlv tlv = new Tlv(buffer, tag, start, position, (int) length);
        position = tlv.end();
        return tlv;
    }

    /** Reads the next element and checks its tag. */
    public Tlv next(int expectedTag, String what) {
        Tlv t = next();
        if (t.tag() != expectedTag) {
            throw malformed(what + ": unexpected tag 0x" + Integer.toHexString(t.tag()));
        }
        return t;
    }

    /** Throws unless every byte has been read. */
    public void end(String what) {
        if (position != limit) {
            throw malformed(what + " has trailing data");
        }
    }

    static CryptoException malformed(String message) {
        return new CryptoException(CryptoError.MALFORMED, message);
    }
}
