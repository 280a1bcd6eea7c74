package dev.pouch.crypto.corpus;

import dev.pouch.crypto.internal.Aes;
import dev.pouch.crypto.internal.Der;
import dev.pouch.crypto.internal.EcKeys;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientIdentifier;
import org.bouncycastle.asn1.cms.KeyAgreeRecipientInfo;
import org.bouncycastle.asn1.cms.OriginatorIdentifierOrKey;
import org.bouncycastle.asn1.cms.OriginatorPublicKey;
import org.bouncycastle.asn1.cms.RecipientEncryptedKey;
import org.bouncycastle.asn1.cms.RecipientInfo;
import org.bouncycastle.asn1.cms.ecc.ECCCMSSharedInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;

/**
 * Builds one ephemeral-static ECDH {@code KeyAgreeRecipientInfo} (RFC 5753) by hand, with the
 * knobs the production {@code Kari} does not have: another KDF or key wrap, a key agreed with a
 * different public key than the one addressed, a tampered wrapped key, or a hostile originator.
 */
final class RecipientForge {

    private final X509Certificate addressedTo;
    private PublicKey agreeWith;
    private ASN1ObjectIdentifier scheme = SECObjectIdentifiers.dhSinglePass_stdDH_sha256kdf_scheme;
    private String kdfDigest = "SHA-256";
    private ASN1ObjectIdentifier wrap = NISTObjectIdentifiers.id_aes256_wrap;
    private int kekBytes = 32;
    private boolean tamperWrappedKey;
    private OriginatorIdentifierOrKey originator;

    private RecipientForge(X509Certificate addressedTo) {
        this.addressedTo = addressedTo;
        this.agreeWith = addressedTo.getPublicKey();
    }

    /** A recipient info addressed (by issuer and serial number) to {@code certificate}. */
    static RecipientForge addressedTo(X509Certificate certificate) {
        return new RecipientForge(certificate);
    }

    /** Agrees the key with another public key than the addressed certificate's. */
    RecipientForge agreeWith(PublicKey key) {
        this.agreeWith = key;
        return this;
    }

    /** Another key-agreement scheme, with the KDF digest it implies. */
    RecipientForge scheme(ASN1ObjectIdentifier keyAgreement, String digest) {
        this.scheme = keyAgreement;
        this.kdfDigest = digest;
        return this;
    }

    /** Another key wrap, with its key-encryption key size. */
    RecipientForge wrap(ASN1ObjectIdentifier keyWrap, int keyBytes) {
        this.wrap = keyWrap;
        this.kekBytes = keyBytes;
        return this;
    }

    RecipientForge tamperWrappedKey() {
        this.tamperWrappedKey = true;
        return this;
    }

    /** Replaces the ephemeral originator key with {@code value}. */
    RecipientForge originator(OriginatorIdentifierOrKey value) {
        this.originator = value;
        return this;
    }

    /** An originator "key" whose point (1, 1) is not on P-256: the invalid-curve attack. */
    static OriginatorIdentifierOrKey offCurveOriginator() {
        byte[] point = new byte[65];
        point[0] = 0x04;
        point[32] = 1;
        point[64] = 1;
        return new OriginatorIdentifierOrKey(new OriginatorPublicKey(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey), point));
    }

    /** An originator "key" that is the point at infinity (the single octet 00). */
    static OriginatorIdentifierOrKey infinityOriginator() {
        return new OriginatorIdentifierOrKey(new OriginatorPublicKey(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey), new byte[] {0}));
    }

    /** An originator named by certificate (static-static ECDH), which the profile does not use. */
    static OriginatorIdentifierOrKey staticOriginator(X509Certificate certificate) {
        return new OriginatorIdentifierOrKey(issuerAndSerial(certificate));
    }

    /** Wraps {@code cek} as configured. */
    RecipientInfo build(byte[] cek) {
        ECPoint staticPoint = EcKeys.staticPoint(agreeWith);
        BigInteger ephemeral = EcKeys.randomScalar();
        byte[] z = EcKeys.agreeWithStatic(ephemeral, staticPoint);
        AlgorithmIdentifier wrapAlgorithm = new AlgorithmIdentifier(wrap);
        byte[] keyBits = BigInteger.valueOf(kekBytes * 8L).toByteArray();
        byte[] suppPubInfo = new byte[4];
        System.arraycopy(keyBits, 0, suppPubInfo, 4 - keyBits.length, keyBits.length);
        byte[] sharedInfo = Der.encode(new ECCCMSSharedInfo(wrapAlgorithm, suppPubInfo));
        byte[] wrapped = Aes.wrap(x963(z, sharedInfo), cek);
        if (tamperWrappedKey) {
            wrapped[wrapped.length / 2] ^= 0x01;
        }
        OriginatorIdentifierOrKey from = originator != null ? originator : new OriginatorIdentifierOrKey(
                new OriginatorPublicKey(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey),
                        EcKeys.encode(EcKeys.multiplyGenerator(ephemeral))));
        RecipientEncryptedKey rek = new RecipientEncryptedKey(
                new KeyAgreeRecipientIdentifier(issuerAndSerial(addressedTo)), new DEROctetString(wrapped));
        return new RecipientInfo(new KeyAgreeRecipientInfo(from, null, new AlgorithmIdentifier(scheme, wrapAlgorithm),
                new DERSequence(rek)));
    }

    /** ANSI X9.63 KDF with the configured digest. */
    private byte[] x963(byte[] z, byte[] sharedInfo) {
        try {
            MessageDigest digest = MessageDigest.getInstance(kdfDigest);
            byte[] out = new byte[kekBytes];
            int done = 0;
            for (int counter = 1; done < kekBytes; counter++) {
                digest.update(z);
                digest.update(new byte[] {0, 0, (byte) (counter >>> 8), (byte) counter});
                digest.update(sharedInfo);
                byte[] block = digest.digest();
                int n = Math.min(block.length, kekBytes - done);
                System.arraycopy(block, 0, out, done, n);
                done += n;
            }
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IssuerAndSerialNumber issuerAndSerial(X509Certificate c) {
        return new IssuerAndSerialNumber(X500Name.getInstance(c.getIssuerX500Principal().getEncoded()), c.getSerialNumber());
    }
}
