package dev.pouch.crypto.pki;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/** Parsing and fingerprinting of certificates and CRLs from untrusted bytes. */
public final class Certificates {

    /** Certificates and CRLs larger than this are refused unread. */
    public static final int MAX_ENCODED_SIZE = 64 * 1024;

    private Certificates() {
    }

    private static final int MAX_CACHED = 8192;
    private static final java.util.Map<java.nio.ByteBuffer, X509Certificate> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Parses one DER certificate, reusing an earlier parse of the same bytes: documents from the
     * same organization carry the same certificate over and over.
     */
    public static X509Certificate parseCached(byte[] der) {
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(der);
        X509Certificate cached = PARSED.get(key);
        if (cached == null) {
            cached = parse(der);
            if (PARSED.size() >= MAX_CACHED) {
                PARSED.clear();
            }
            PARSED.put(java.nio.ByteBuffer.wrap(der.clone()), cached);
        }
        return cached;
    }

    /** Parses one DER certificate. */
    public static X509Certificate parse(byte[] der) {
        if (der == null || der.length == 0 || der.length > MAX_ENCODED_SIZE) {
            throw new CryptoException(CryptoError.MALFORMED, "certificate is empty or too large");
        }
        try {
            return (X509Certificate) factory().generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | RuntimeException e) {
            throw new CryptoException(CryptoError.MALFORMED, "not an X.509 certificate", e);
        }
    }

    /** Parses one DER CRL. */
    public static X509CRL parseCrl(byte[] der) {
        if (der == null || der.length == 0 || der.length > 64 * MAX_ENCODED_SIZE) {
            throw new CryptoException(CryptoError.MALFORMED, "CRL is empty or too large");
        }
        try {
            return (X509CRL) factory().generateCRL(new ByteArrayInputStream(der));
        } catch (CRLException | CertificateException | RuntimeException e) {
            throw new CryptoException(CryptoError.MALFORMED, "not an X.509 CRL", e);
        }
    }

    /** The DER encoding. */
    public static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new CryptoException(CryptoError.MALFORMED, "certificate cannot be encoded", e);
        }
    }

    /** Lower-case hex SHA-256 of the DER encoding: how certificates are named in logs and the database. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoded(certificate)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CertificateFactory factory() throws CertificateException {
        return CertificateFactory.getInstance("X.509");
    }
}
