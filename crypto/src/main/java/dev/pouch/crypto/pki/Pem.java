package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.Password;
import dev.pouch.crypto.internal.Bc;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.openssl.PKCS8Generator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * PEM export and import of certificates, CRLs and private keys, in the forms OpenSSL reads.
 *
 * <p>Security guarantees: an exported private key is unencrypted PKCS#8 only when the caller asks
 * for it by calling {@link #privateKey(PrivateKey)}; {@link #encryptedPrivateKey} uses PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC.
 */
public final class Pem {

    private Pem() {
    }

    public static String certificate(X509Certificate certificate) {
        return write(List.of(certificate));
    }

    public static String certificates(List<X509Certificate> certificates) {
        return write(certificates);
    }

    public static String crl(X509CRL crl) {
        return write(List.of(crl));
    }

    /** Unencrypted PKCS#8 ("PRIVATE KEY"), for handing to {@code openssl -inkey}. */
    public static String privateKey(PrivateKey key) {
        try {
            return write(List.of(new JcaPKCS8Generator(key, null)));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encrypted PKCS#8 ("ENCRYPTED PRIVATE KEY"). */
    public static String encryptedPrivateKey(PrivateKey key, Password password) {
        char[] pw = password.chars();
        try {
            var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                    .setPRF(PKCS8Generator.PRF_HMACSHA256)
                    .setIterationCount(CredentialStore.KEY_ITERATIONS)
                    .setRandom(Bc.random())
                    .setProvider(Bc.PROVIDER)
                    .setPassword(pw)
                    .build();
            return write(List.of(new JcaPKCS8Generator(key, encryptor)));
        } catch (OperatorCreationException | org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new IllegalStateException(e);
        } finally {
            java.util.Arrays.fill(pw, '\0');
        }
    }

    /** Every certificate in a PEM text, in order. */
    public static List<X509Certificate> readCertificates(String pem) {
        List<X509Certificate> result = new ArrayList<>();
        for (Object o : readAll(pem)) {
            if (o instanceof X509CertificateHolder holder) {
                result.add(Certificates.parse(encoded(holder)));
            }
        }
        if (result.isEmpty()) {
            throw new CryptoException(CryptoError.MALFORMED, "no certificate in PEM text");
        }
        return result;
    }

    public static X509CRL readCrl(String pem) {
        for (Object o : readAll(pem)) {
            if (o instanceof X509CRLHolder holder) {
                try {
                    return Certificates.parseCrl(holder.getEncoded());
                } catch (IOException e) {
                    throw new CryptoException(CryptoError.MALFORMED, "unreadable CRL", e);
                }
            }
        }
        throw new CryptoException(CryptoError.MALFORMED, "no CRL in PEM text");
    }

    /** A public key in PEM ("PUBLIC KEY", SubjectPublicKeyInfo): how keys are enrolled with the exchange. */
    public static java.security.PublicKey readPublicKey(String pem) {
        for (Object o : readAll(pem)) {
            if (o instanceof org.bouncycastle.asn1.x509.SubjectPublicKeyInfo info) {
                try {
                    return new JcaPEMKeyConverter().getPublicKey(info);
                } catch (IOException e) {
                    throw new CryptoException(CryptoError.MALFORMED, "unreadable public key", e);
                }
            }
        }
        throw new CryptoException(CryptoError.MALFORMED, "no public key in PEM text");
    }

    /** A public key as PEM ("PUBLIC KEY"). */
    public static String publicKey(java.security.PublicKey key) {
        return write(List.of(key));
    }

    /** The first private key in a PEM text; {@code password} is needed for an encrypted one. */
    public static PrivateKey readPrivateKey(String pem, Optional<Password> password) {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter().setProvider(Bc.PROVIDER);
        for (Object o : readAll(pem)) {
            try {
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                    Password pw = password.orElseThrow(() -> new CryptoException(
                            CryptoError.CREDENTIALS_UNREADABLE, "the private key is encrypted: a password is needed"));
                    char[] chars = pw.chars();
                    try {
                        var decryptor = new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(chars);
                        return converter.getPrivateKey(encrypted.decryptPrivateKeyInfo(decryptor));
                    } finally {
                        java.util.Arrays.fill(chars, '\0');
                    }
                }
            } catch (IOException | OperatorCreationException | PKCSException e) {
                throw new CryptoException(CryptoError.CREDENTIALS_UNREADABLE, "cannot read private key: wrong password or damaged key", e);
            }
        }
        throw new CryptoException(CryptoError.MALFORMED, "no private key in PEM text");
    }

    private static List<Object> readAll(String pem) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o;
            while ((o = parser.readObject()) != null) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            throw new CryptoException(CryptoError.MALFORMED, "not valid PEM", e);
        }
        return objects;
    }

    private static byte[] encoded(X509CertificateHolder holder) {
        try {
            return holder.getEncoded();
        } catch (IOException e) {
            throw new CryptoException(CryptoError.MALFORMED, "unreadable certificate", e);
        }
    }

    private static String write(List<?> objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                writer.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }
}
