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
import java.util.List;
import java.util.stream.IntStream;
import java.util.Optional;

/**
 * CMS {@code KeyAgreeRecipientInfo} (RFC 5652, RFC 5753) for ephemeral-static ECDH on P-256 with
 * {@code dhSinglePass-stdDH-sha256kdf-scheme} and AES-256 key wrap: one per recipient, encoded
 * exactly as OpenSSL 3 reads and writes them.
 */
public final class Kari {

    private static final byte[] KEY_BITS_256 = {0, 0, 1, 0};

    private Kari() {
    }

    /** Recipient lists at least this long are processed on several cores. */
    static final int PARALLEL_FROM = 32;

    /**
     * Wraps the content-encryption key for each recipient certificate: one
     * {@code KeyAgreeRecipientInfo} per recipient, all sharing the message's ephemeral key pair
     * (RFC 5753 ephemeral-static ECDH; each recipient's static key still gives it its own
     * key-encryption key). Long lists are processed in parallel; the order is kept.
     */
    public static List<RecipientInfo> forRecipients(List<X509Certificate> recipients, byte[] cek) {
        BigInteger ephemeral = EcKeys.randomScalar();
        byte[] ephemeralPoint = EcKeys.encode(EcKeys.multiplyGenerator(ephemeral));
        IntStream indices = IntStream.range(0, recipients.size());
        if (recipients.size() >= PARALLEL_FROM) {
            indices = indices.parallel();
        }
        RecipientInfo[] infos = new RecipientInfo[recipients.size()];
        indices.forEach(i -> infos[i] = forRecipient(recipients.get(i), cek, ephemeral, ephemeralPoint));
        return List.of(infos);
    }

    /** Wraps the content-encryption key for one recipient with its own fresh ephemeral key. */
    public static RecipientInfo forRecipient(X509Certificate recipient, byte[] cek) {
        BigInteger ephemeral = EcKeys.randomScalar();
        return forRecipient(recipient, cek, ephemeral, EcKeys.encode(EcKeys.multiplyGenerator(ephemeral)));
    }

    private static RecipientInfo forRecipient(X509Certificate recipient, byte[] cek, BigInteger ephemeral, byte[] ephemeralPoint) {
        ECPoint staticPoint = EcKeys.staticPoint(recipient.getPublicKey());
        byte[] z = EcKeys.agreeWithStatic(ephemeral, staticPoint);
        AlgorithmIdentifier wrapAlgorithm = new AlgorithmIdentifier(AlgorithmSuite.INTL.keyWrap());
        byte[] kek = Aes.x963Sha256(z, sharedInfo(wrapAlgorithm, null), Aes.KEY_BYTES);
        byte[] wrapped = Aes.wrap(kek, cek);
        Arrays.fill(z, (byte) 0);
        Arrays.fill(kek, (byte) 0);

        OriginatorPublicKey originator = new OriginatorPublicKey(
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey), ephemeralPoint);
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
