package dev.pouch.crypto.internal;

import dev.pouch.crypto.AlgorithmSuite;
import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
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
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;

/**
 * CMS {@code KeyAgreeRecipientInfo} (RFC 5652, RFC 5753) for ephemeral-static ECDH on P-256 with
 * {@code dhSinglePass-stdDH-sha256kdf-scheme} and AES-256 key wrap: one per recipient, each with
 * its own ephemeral key, encoded exactly as OpenSSL 3 reads and writes them.
 */
public final class Kari {

    private static final byte[] KEY_BITS_256 = {0, 0, 1, 0};

    private Kari() {
    }

    /** Wraps the content-encryption key for one recipient certificate. */
    public static RecipientInfo forRecipient(X509Certificate recipient, byte[] cek) {
        ECPoint staticPoint = EcKeys.staticPoint(recipient.getPublicKey());
        BigInteger ephemeral = EcKeys.randomScalar();
        ECPoint ephemeralPoint = EcKeys.multiplyGenerator(ephemeral);
        byte[] z = EcKeys.agreeWithStatic(ephemeral, staticPoint);
        AlgorithmIdentifier wrapAlgorithm = new AlgorithmIdentifier(AlgorithmSuite.INTL.keyWrap());
        byte[] kek = Aes.x963Sha256(z, sharedInfo(wrapAlgorithm, null), Aes.KEY_BYTES);
        byte[] wrapped = Aes.wrap(kek, cek);
        Arrays.fill(z, (byte) 0);
        Arrays.fill(kek, (byte) 0);

        OriginatorPublicKey originator = new OriginatorPublicKey(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey), EcKeys.encode(ephemeralPoint));
        IssuerAndSerialNumber rid = new IssuerAndSerialNumber(
                X500Name.getInstance(recipient.getIssuerX500Principal().getEncoded()), recipient.getSerialNumber());
        RecipientEncryptedKey rek = new RecipientEncryptedKey(new KeyAgreeRecipientIdentifier(rid), new DEROctetString(wrapped));
        KeyAgreeRecipientInfo kari = new KeyAgreeRecipientInfo(new OriginatorIdentifierOrKey(originator), null,
                new AlgorithmIdentifier(AlgorithmSuite.INTL.keyAgreement(), wrapAlgorithm), new DERSequence(rek));
        return new RecipientInfo(kari);
    }

    /** The encrypted key in {@code kari} addressed to {@code certificate}, if any. */
    public static Optional<RecipientEncryptedKey> findKeyFor(KeyAgreeRecipientInfo kari, X509Certificate certificate) {
        X500Name issuer = X500Name.getInstance(certificate.getIssuerX500Principal().getEncoded());
        byte[] ski = subjectKeyIdentifier(certificate);
        for (var element : kari.getRecipientEncryptedKeys()) {
            RecipientEncryptedKey rek = Der.convert(element, "recipient encrypted key", RecipientEncryptedKey::getInstance);
            KeyAgreeRecipientIdentifier id = rek.getIdentifier();
            if (id.getIssuerAndSerialNumber() != null) {
                IssuerAndSerialNumber ias = id.getIssuerAndSerialNumber();
                if (ias.getName().equals(issuer) && ias.getSerialNumber().getValue().equals(certificate.getSerialNumber())) {
                    return Optional.of(rek);
                }
            } else if (id.getRKeyID() != null && ski != null
                    && Arrays.equals(id.getRKeyID().getSubjectKeyIdentifier().getOctets(), ski)) {
                return Optional.of(rek);
            }
        }
        return Optional.empty();
    }

    /** Recovers the content-encryption key with the recipient's static private scalar. */
    public static byte[] unwrap(KeyAgreeRecipientInfo kari, RecipientEncryptedKey rek, BigInteger staticScalar) {
        if (kari.getVersion().intValueExact() != 3) {
            throw new CryptoException(CryptoError.MALFORMED, "KeyAgreeRecipientInfo version must be 3");
        }
        AlgorithmIdentifier keyEncryption = kari.getKeyEncryptionAlgorithm();
        AlgorithmSuite.require(AlgorithmSuite.INTL.keyAgreement(), keyEncryption.getAlgorithm(), "key agreement");
        AlgorithmIdentifier wrapAlgorithm = Der.convert(keyEncryption.getParameters(), "key wrap algorithm",
                AlgorithmIdentifier::getInstance);
        AlgorithmSuite.require(AlgorithmSuite.INTL.keyWrap(), wrapAlgorithm.getAlgorithm(), "key wrap");
        if (wrapAlgorithm.getParameters() != null && !(wrapAlgorithm.getParameters() instanceof ASN1Null)) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "AES key wrap takes no parameters");
        }
        OriginatorPublicKey originator = kari.getOriginator().getOriginatorKey();
        if (originator == null) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "only ephemeral originator keys are accepted");
        }
        AlgorithmIdentifier keyAlgorithm = originator.getAlgorithm();
        AlgorithmSuite.require(X9ObjectIdentifiers.id_ecPublicKey, keyAlgorithm.getAlgorithm(), "originator key");
        var params = keyAlgorithm.getParameters();
        if (params != null && !(params instanceof ASN1Null)
                && !(params instanceof ASN1ObjectIdentifier curve && curve.equals(AlgorithmSuite.INTL.curve()))) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "originator key is not on P-256");
        }
        ECPoint ephemeralPoint = EcKeys.decodePoint(originator.getPublicKey().getOctets());
        byte[] ukm = kari.getUserKeyingMaterial() == null ? null : kari.getUserKeyingMaterial().getOctets();
        byte[] z = EcKeys.agreeWithEphemeral(staticScalar, ephemeralPoint);
        byte[] kek = Aes.x963Sha256(z, sharedInfo(wrapAlgorithm, ukm), Aes.KEY_BYTES);
        try {
            byte[] cek = Aes.unwrap(kek, rek.getEncryptedKey().getOctets());
            if (cek.length != Aes.KEY_BYTES) {
                throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "content key is not AES-256");
            }
            return cek;
        } finally {
            Arrays.fill(z, (byte) 0);
            Arrays.fill(kek, (byte) 0);
        }
    }

    private static byte[] sharedInfo(AlgorithmIdentifier wrapAlgorithm, byte[] ukm) {
        return Der.encode(ukm == null
                ? new ECCCMSSharedInfo(wrapAlgorithm, KEY_BITS_256)
                : new ECCCMSSharedInfo(wrapAlgorithm, ukm, KEY_BITS_256));
    }

    private static byte[] subjectKeyIdentifier(X509Certificate certificate) {
        byte[] ext = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext == null) {
            return null;
        }
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
    }
}
