package dev.pouch.crypto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A password that never prints itself and compares in constant time.
 *
 * <p>Security guarantees: {@link #toString()} is {@code [REDACTED]}; the characters are copied in
 * and out, so callers cannot alias the internal array; {@link #destroy()} overwrites them.
 */
public final class Password {

    private final char[] chars;

    private Password(char[] chars) {
        if (chars.length == 0) {
            throw new CryptoException(CryptoError.INVALID_REQUEST, "empty password");
        }
        this.chars = chars.clone();
    }

    /** Copies the given characters; the caller should clear its own array. */
    public static Password of(char[] chars) {
        return new Password(chars);
    }

    /** For configuration and tests; prefer {@link #fromFile(Path)} or the environment for real secrets. */
    public static Password of(String value) {
        return new Password(value.toCharArray());
    }

    /** Reads a password from the first line of a file (trailing newline ignored). */
    public static Password fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            int end = text.indexOf('\n');
            return of((end < 0 ? text : text.substring(0, end)).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read password file " + file, e);
        }
    }

    /** A fresh copy of the characters; clear it after use. */
    public char[] chars() {
        return chars.clone();
    }

    /** Overwrites the characters. The password is unusable afterwards. */
    public void destroy() {
        Arrays.fill(chars, '\0');
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Password other)) {
            return false;
        }
        byte[] a = new String(chars).getBytes(StandardCharsets.UTF_8);
        byte[] b = new String(other.chars).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(a, b);
    }

    @Override
    public int hashCode() {
        return 0; // deliberately constant: never leak a function of the secret
    }

    @Override
    public String toString() {
        return "[REDACTED]";
    }
}
