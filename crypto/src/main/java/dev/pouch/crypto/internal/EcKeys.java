package dev.pouch.crypto.internal;

import dev.pouch.crypto.AlgorithmSuite;
import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.GeneralSecurityException;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * P-256 arithmetic on Bouncy Castle's optimised curve, with the shortcuts that make sealing fast:
 * recipients' static public points are decoded once and keep a fixed-point comb table, so the
 * sender's ephemeral-static ECDH costs about as much as a key generation.
 */
public final class EcKeys {

    private static final int MAX_CACHED_POINTS = 8192;
    private static final Map<ByteKey, ECPoint> PRECOMPUTED = new ConcurrentHashMap<>();
    private static final FixedPointCombMultiplier COMB = new FixedPointCombMultiplier();

    private EcKeys() {
    }

    /** A fresh P-256 key pair (Bouncy Castle keys). */
    public static KeyPair generateKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
            generator.initialize(new ECGenParameterSpec(AlgorithmSuite.INTL.curveName()), Bc.random());
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("P-256 key generation unavailable", e);
        }
    }

    /** A random scalar in [1, n-1]. */
    public static BigInteger randomScalar() {
        BigInteger n = Bc.P256.getN();
        BigInteger k;
        do {
            k = new BigInteger(n.bitLength(), Bc.random());
        } while (k.signum() == 0 || k.compareTo(n) >= 0);
        return k;
    }

    /** k·G with the constant-time comb multiplier. */
    public static ECPoint multiplyGenerator(BigInteger k) {
        return COMB.multiply(Bc.P256.getG(), k).normalize();
    }

    /**
     * Ephemeral-static ECDH from the sender's side: the x coordinate of k·Q, where Q is a
     * recipient's static key whose comb table is cached.
     */
    public static byte[] agreeWithStatic(BigInteger ephemeralScalar, ECPoint staticPoint) {
        ECPoint shared = COMB.multiply(staticPoint, ephemeralScalar).normalize();
        return sharedSecret(shared);
    }

    /**
     * ECDH from the recipient's side: the x coordinate of d·P for an untrusted ephemeral point P.
     * The static scalar is blinded with a random multiple of the group order each time, so the
     * variable-time multiplication leaks nothing stable about d.
     */
    public static byte[] agreeWithEphemeral(BigInteger staticScalar, ECPoint ephemeralPoint) {
        BigInteger blind = new BigInteger(64, Bc.random()).add(BigInteger.ONE).multiply(Bc.P256.getN());
        ECPoint shared = ephemeralPoint.multiply(staticScalar.add(blind)).normalize();
        return sharedSecret(shared);
    }

    private static byte[] sharedSecret(ECPoint shared) {
        if (shared.isInfinity()) {
            throw new CryptoException(CryptoError.DECRYPTION_FAILED, "ECDH produced the point at infinity");
        }
        return shared.getAffineXCoord().getEncoded();
    }

    /** Decodes an uncompressed or compressed point, checking it lies on P-256 and is not infinity. */
    public static ECPoint decodePoint(byte[] encoded) {
        try {
            ECPoint point = Bc.P256.getCurve().decodePoint(encoded);
            if (point.isInfinity() || !point.isValid()) {
                throw new CryptoException(CryptoError.MALFORMED, "not a valid P-256 point");
            }
            return point.normalize();
        } catch (IllegalArgumentException e) {
            throw new CryptoException(CryptoError.MALFORMED, "not a valid P-256 point", e);
        }
    }

    /**
     * The public point of a P-256 key, decoded onto the optimised curve and kept with its comb
     * table for later sender-side agreements.
     */
    public static ECPoint staticPoint(PublicKey key) {
        byte[] encoded = pointBytes(key);
        ByteKey cacheKey = new ByteKey(encoded);
        ECPoint cached = PRECOMPUTED.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        ECPoint point = decodePoint(encoded);
        org.bouncycastle.math.ec.FixedPointUtil.precompute(point);
        if (PRECOMPUTED.size() >= MAX_CACHED_POINTS) {
            PRECOMPUTED.clear();
        }
        PRECOMPUTED.put(cacheKey, point);
        return point;
    }

    /** The point bytes of a P-256 public key; refuses any other algorithm or curve. */
    public static byte[] pointBytes(PublicKey key) {
        SubjectPublicKeyInfo info;
        try {
            info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.MALFORMED, "unreadable public key", e);
        }
        requireP256(info.getAlgorithm());
        return info.getPublicKeyData().getOctets();
    }

    /** The scalar of a P-256 private key; refuses any other algorithm or curve. */
    public static BigInteger scalar(PrivateKey key) {
        if (!(key instanceof java.security.interfaces.ECPrivateKey ec)) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "not an EC private key: " + key.getAlgorithm());
        }
        if (!ec.getParams().getOrder().equals(Bc.P256.getN())
                || ec.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "private key is not on P-256");
        }
        return ec.getS();
    }

    /** True when the private key is the one whose public key is given. */
    public static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
        ECPoint expected = decodePoint(pointBytes(publicKey));
        return multiplyGenerator(scalar(privateKey)).equals(expected);
    }

    /** Checks an id-ecPublicKey algorithm identifier names P-256. */
    public static void requireP256(AlgorithmIdentifier algorithm) {
        AlgorithmSuite.require(X9ObjectIdentifiers.id_ecPublicKey, algorithm.getAlgorithm(), "public key algorithm");
        if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier curve)
                || !curve.equals(AlgorithmSuite.INTL.curve())) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "public key is not on P-256");
        }
    }

    /** Uncompressed encoding of a point. */
    public static byte[] encode(ECPoint point) {
        return point.getEncoded(false);
    }

    private record ByteKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
