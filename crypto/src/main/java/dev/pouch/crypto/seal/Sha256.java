package dev.pouch.crypto.seal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;

import java.security.MessageDigest;
import java.util.HexFormat;

/** A SHA-256 value: compared in constant time, printed as hex. */
public final class Sha256 {

    public static final int LENGTH = 32;
    private final byte[] bytes;

    private Sha256(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Sha256 of(byte[] digest) {
        if (digest == null || digest.length != LENGTH) {
            throw new CryptoException(CryptoError.MALFORMED, "a SHA-256 value is 32 bytes");
        }
        return new Sha256(digest.clone());
    }

    public static Sha256 ofHex(String hex) {
        try {
            return of(HexFormat.of().parseHex(hex));
        } catch (IllegalArgumentException e) {
            throw new CryptoException(CryptoError.MALFORMED, "not a hex SHA-256 value", e);
        }
    }

    /** Computes the digest of {@code data} with the JDK provider. */
    public static Sha256 digest(byte[] data) {
        return new Sha256(dev.pouch.crypto.internal.Aes.sha256().digest(data));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sha256 other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }
}
