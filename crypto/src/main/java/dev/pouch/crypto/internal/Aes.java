package dev.pouch.crypto.internal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM, AES-256 key wrap (RFC 3394) and SHA-256 on the JDK's providers, which are an order
 * of magnitude faster than Bouncy Castle's pure-Java ones here.
 */
public final class Aes {

    public static final int KEY_BYTES = 32;
    public static final int GCM_NONCE_BYTES = 12;
    public static final int GCM_TAG_BYTES = 16;
    /** Inputs from this size on wait (bounded) for {@link GcmWarmup} before they start. */
    static final int LARGE_INPUT = 256 * 1024;
    /** Streaming work is fed to the cipher in pieces of this size, which the JIT compiles early. */
    public static final int STREAM_PIECE = 64 * 1024;

    private Aes() {
    }

    /** A fresh random AES-256 key. */
    public static byte[] newKey() {
        return Bc.randomBytes(KEY_BYTES);
    }

    /**
     * Called before working on {@code length} bytes: large inputs wait (at most a few seconds) for
     * the one-time AES-GCM warm-up, which is what makes them run at intrinsic speed.
     */
    public static void prepareFor(long length) {
        if (length >= LARGE_INPUT && !GcmWarmup.isDone()) {
            GcmWarmup.awaitStarted(5);
        }
    }

    /** A GCM cipher ready to encrypt with a fresh key/nonce pair chosen by the caller. */
    public static Cipher gcmEncryptor(byte[] key, byte[] nonce) {
        return gcm(Cipher.ENCRYPT_MODE, key, nonce);
    }

    /** A GCM cipher ready to decrypt; it releases plaintext only once the tag has been checked. */
    public static Cipher gcmDecryptor(byte[] key, byte[] nonce) {
        return gcm(Cipher.DECRYPT_MODE, key, nonce);
    }

    private static Cipher gcm(int mode, byte[] key, byte[] nonce) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(GCM_TAG_BYTES * 8, nonce));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** Decrypts {@code ciphertext} whose tag is given separately (as CMS stores it). */
    public static byte[] gcmDecrypt(byte[] key, byte[] nonce, byte[] ciphertext, byte[] tag) {
        return gcmDecrypt(key, nonce, ciphertext, 0, ciphertext.length, tag);
    }

    /** Decrypts {@code length} bytes of {@code buffer} from {@code offset}, with the tag given separately. */
    public static byte[] gcmDecrypt(byte[] key, byte[] nonce, byte[] buffer, int offset, int length, byte[] tag) {
        prepareFor(length);
        Cipher cipher = gcmDecryptor(key, nonce);
        try {
            byte[] out = new byte[length];
            int n = cipher.update(buffer, offset, length, out, 0);
            n += cipher.doFinal(tag, 0, tag.length, out, n);
            if (n != out.length) {
                throw new CryptoException(CryptoError.DECRYPTION_FAILED, "unexpected plaintext length");
            }
            return out;
        } catch (AEADBadTagException e) {
            throw new CryptoException(CryptoError.DECRYPTION_FAILED, "authentication tag mismatch", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoError.DECRYPTION_FAILED, "decryption failed: " + e.getMessage(), e);
        }
    }

    /** RFC 3394 key wrap of {@code key} under {@code kek}. */
    public static byte[] wrap(byte[] kek, byte[] key) {
        try {
            Cipher cipher = Cipher.getInstance("AESWrap");
            cipher.init(Cipher.WRAP_MODE, new SecretKeySpec(kek, "AES"));
            return cipher.wrap(new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES key wrap unavailable", e);
        }
    }

    /** RFC 3394 key unwrap; a wrong key or altered input fails with {@code DECRYPTION_FAILED}. */
    public static byte[] unwrap(byte[] kek, byte[] wrapped) {
        if (wrapped.length != KEY_BYTES + 8) {
            throw new CryptoException(CryptoError.DECRYPTION_FAILED, "wrapped key has the wrong length");
        }
        try {
            Cipher cipher = Cipher.getInstance("AESWrap");
            cipher.init(Cipher.UNWRAP_MODE, new SecretKeySpec(kek, "AES"));
            return cipher.unwrap(wrapped, "AES", Cipher.SECRET_KEY).getEncoded();
        } catch (InvalidKeyException e) {
            throw new CryptoException(CryptoError.DECRYPTION_FAILED, "key unwrap failed", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoException(CryptoError.DECRYPTION_FAILED, "key unwrap failed: " + e.getMessage(), e);
        }
    }

    /** A JDK SHA-256 instance. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * ANSI X9.63 KDF with SHA-256 (the KDF of {@code dhSinglePass-stdDH-sha256kdf-scheme}):
     * {@code SHA-256(Z || counter || SharedInfo)} for counter = 1, 2, …
     */
    public static byte[] x963Sha256(byte[] z, byte[] sharedInfo, int length) {
        MessageDigest digest = sha256();
        byte[] out = new byte[length];
        int done = 0;
        for (int counter = 1; done < length; counter++) {
            digest.update(z);
            digest.update(new byte[] {(byte) (counter >>> 24), (byte) (counter >>> 16), (byte) (counter >>> 8), (byte) counter});
            digest.update(sharedInfo);
            byte[] block = digest.digest();
            int n = Math.min(block.length, length - done);
            System.arraycopy(block, 0, out, done, n);
            done += n;
        }
        return out;
    }
}
