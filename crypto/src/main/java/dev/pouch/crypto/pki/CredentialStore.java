package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.Password;
import dev.pouch.crypto.internal.Bc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.PBEParameterSpec;

/**
 * Reads and writes credential files: PKCS#12 whose keys are protected with PBES2
 * (PBKDF2-HMAC-SHA256, AES-256-CBC), readable by {@code openssl pkcs12}.
 *
 * <p>Security guarantees: files are written to a temporary sibling with owner-only permissions and
 * moved into place, so a crash never leaves half a file; a wrong password or a damaged file is
 * reported as {@code CREDENTIALS_UNREADABLE} without saying which.
 */
public final class CredentialStore {

    /** PBKDF2 iterations for each key bag. */
    public static final int KEY_ITERATIONS = 200_000;
    private static final String KEY_PROTECTION = "PBEWithHmacSHA256AndAES_256";
    private static final String ANCHOR_PREFIX = "trusted-authority-";

    private CredentialStore() {
    }

    /** Writes {@code credentials} to {@code file}, replacing it atomically. */
    public static void write(Path file, Credentials credentials, Password password) {
        Map<String, KeyCredential> entries = new java.util.LinkedHashMap<>();
        credentials.keys().forEach((role, key) -> entries.put(role.alias(), key));
        writeEntries(file, entries, credentials.trustAnchors(), password);
    }

    /**
     * Writes any number of keys under aliases of the caller's choosing (for instance the keys of
     * many organizations in one demo file), replacing the file atomically.
     */
    public static void writeEntries(Path file, Map<String, KeyCredential> entries, java.util.List<X509Certificate> anchors,
            Password password) {
        char[] pw = password.chars();
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (Map.Entry<String, KeyCredential> e : entries.entrySet()) {
                KeyCredential key = e.getValue();
                store.setEntry(e.getKey(),
                        new KeyStore.PrivateKeyEntry(key.privateKey(), key.chain().toArray(Certificate[]::new)),
                        new KeyStore.PasswordProtection(pw, KEY_PROTECTION,
                                new PBEParameterSpec(Bc.randomBytes(16), KEY_ITERATIONS)));
            }
            int i = 0;
            for (X509Certificate anchor : anchors) {
                store.setCertificateEntry(ANCHOR_PREFIX + i++, anchor);
            }
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".credentials", ".tmp");
            try {
                setOwnerOnly(tmp);
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    store.store(out, pw);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write credentials to " + file + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    /** Reads every key of a file written by {@link #writeEntries}, by alias. */
    public static Map<String, KeyCredential> readEntries(Path file, Password password) {
        char[] pw = password.chars();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, pw);
            Map<String, KeyCredential> entries = new java.util.TreeMap<>();
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    Key key = store.getKey(alias, pw);
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (key instanceof PrivateKey pk && chain != null) {
                        entries.put(alias, KeyCredential.of(pk, Arrays.stream(chain).map(c -> (X509Certificate) c).toList()));
                    }
                }
            }
            return entries;
        } catch (NoSuchFileException e) {
            throw new CryptoException(CryptoError.CREDENTIALS_UNREADABLE, "no credential file at " + file, e);
        } catch (IOException | GeneralSecurityException e) {
            throw new CryptoException(CryptoError.CREDENTIALS_UNREADABLE, "cannot read " + file + ": wrong password or damaged file", e);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    /** Reads a credential file. */
    public static Credentials read(Path file, Password password) {
        char[] pw = password.chars();
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, pw);
            Map<CredentialRole, KeyCredential> keys = new EnumMap<>(CredentialRole.class);
            List<X509Certificate> anchors = new ArrayList<>();
            for (String alias : java.util.Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    CredentialRole role = Arrays.stream(CredentialRole.values())
                            .filter(r -> r.alias().equals(alias)).findFirst()
                            .orElseThrow(() -> new CryptoException(CryptoError.CREDENTIALS_UNREADABLE,
                                    "unexpected key alias '" + alias + "' in " + file));
                    Key key = store.getKey(alias, pw);
                    Certificate[] chain = store.getCertificateChain(alias);
                    if (!(key instanceof PrivateKey pk) || chain == null) {
                        throw new CryptoException(CryptoError.CREDENTIALS_UNREADABLE, "incomplete key entry " + alias);
                    }
                    keys.put(role, KeyCredential.of(pk, Arrays.stream(chain).map(c -> (X509Certificate) c).toList()));
                } else if (store.isCertificateEntry(alias) && alias.startsWith(ANCHOR_PREFIX)) {
                    anchors.add((X509Certificate) store.getCertificate(alias));
                }
            }
            return new Credentials(keys, anchors);
        } catch (NoSuchFileException e) {
            throw new CryptoException(CryptoError.CREDENTIALS_UNREADABLE, "no credential file at " + file, e);
        } catch (IOException | GeneralSecurityException e) {
            throw new CryptoException(CryptoError.CREDENTIALS_UNREADABLE,
                    "cannot read " + file + ": wrong password or damaged file", e);
        } finally {
            Arrays.fill(pw, '\0');
        }
    }

    private static void setOwnerOnly(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            // Not a POSIX file system: the directory's protection applies.
        }
    }
}
