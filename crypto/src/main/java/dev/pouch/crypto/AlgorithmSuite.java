package dev.pouch.crypto;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * The allow-list of algorithm suites. Each carries the object identifiers it permits; anything
 * else found in an object is refused with {@link CryptoError#UNSUPPORTED_ALGORITHM}.
 *
 * <p>{@code INTL} is the default. A {@code GM} suite (SM2, SM3, SM4-GCM) is planned behind the
 * same interfaces; it will be a new constant here, never a string chosen at run time.
 */
public enum AlgorithmSuite {
    /** ECDSA P-256 with SHA-256, ECDH P-256 with the X9.63 SHA-256 KDF, AES-256 key wrap, AES-256-GCM. */
    INTL(
            "secp256r1",
            X9ObjectIdentifiers.prime256v1,
            NISTObjectIdentifiers.id_sha256,
            X9ObjectIdentifiers.ecdsa_with_SHA256,
            SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme,
            NISTObjectIdentifiers.id_aes256_wrap,
            NISTObjectIdentifiers.id_aes256_GCM);

    private final String curveName;
    private final ASN1ObjectIdentifier curve;
    private final ASN1ObjectIdentifier digest;
    private final ASN1ObjectIdentifier signature;
    private final ASN1ObjectIdentifier keyAgreement;
    private final ASN1ObjectIdentifier keyWrap;
    private final ASN1ObjectIdentifier contentEncryption;

    AlgorithmSuite(String curveName, ASN1ObjectIdentifier curve, ASN1ObjectIdentifier digest,
            ASN1ObjectIdentifier signature, ASN1ObjectIdentifier keyAgreement,
            ASN1ObjectIdentifier keyWrap, ASN1ObjectIdentifier contentEncryption) {
        this.curveName = curveName;
        this.curve = curve;
        this.digest = digest;
        this.signature = signature;
        this.keyAgreement = keyAgreement;
        this.keyWrap = keyWrap;
        this.contentEncryption = contentEncryption;
    }

    public String curveName() {
        return curveName;
    }

    public ASN1ObjectIdentifier curve() {
        return curve;
    }

    public ASN1ObjectIdentifier digest() {
        return digest;
    }

    public ASN1ObjectIdentifier signature() {
        return signature;
    }

    public ASN1ObjectIdentifier keyAgreement() {
        return keyAgreement;
    }

    public ASN1ObjectIdentifier keyWrap() {
        return keyWrap;
    }

    public ASN1ObjectIdentifier contentEncryption() {
        return contentEncryption;
    }

    /** Throws unless {@code found} is exactly {@code expected}. */
    public static void require(ASN1ObjectIdentifier expected, ASN1ObjectIdentifier found, String what) {
        if (!expected.equals(found)) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM,
                    what + " " + found + " is not allowed (expected " + expected + ")");
        }
    }
}
