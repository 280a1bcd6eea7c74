package dev.pouch.crypto.internal;

import dev.pouch.crypto.AlgorithmSuite;
import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.pki.CertificateUsage;
import dev.pouch.crypto.pki.CertificateValidator;
import dev.pouch.crypto.pki.ValidatedCertificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAlgorithmProtection;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a CMS {@code SignedData} the strict way the Pouch profile requires: one signer, suite
 * algorithms only, mandatory signed attributes present exactly once, protected attributes never
 * unsigned, algorithm protection consistent, message digest and ECDSA signature valid, and the
 * signer certificate validated for document signing at a time the caller chooses.
 *
 * <p>The encapsulated content is never copied: the DER is walked by offsets, the digest runs over
 * the content in place, and {@link Verified} points into the input.
 */
public final class SignedDataVerifier {

    private static final int MAX_SIGNED_ATTRIBUTES = 64;

    private SignedDataVerifier() {
    }

    /** The checked parts of a verified {@code SignedData}; the content is {@code buffer[offset, offset+length)}. */
    public record Verified(ASN1ObjectIdentifier contentType, byte[] buffer, int contentOffset, int contentLength,
            AttributeTable signedAttributes, byte[] signedAttributesDer, byte[] signatureValue,
            ValidatedCertificate certificate, Instant claimedSigningTime) {

        /** The single value of a signed attribute known to be present. */
        public ASN1Encodable value(ASN1ObjectIdentifier type) {
            return signedAttributes.get(type).getAttrValues().getObjectAt(0);
        }

        /** A copy of the content. */
        public byte[] contentBytes() {
            return java.util.Arrays.copyOfRange(buffer, contentOffset, contentOffset + contentLength);
        }
    }

    /**
     * @param required      signed attributes that must be present, with the error if one is not
     * @param neverUnsigned attributes that must not appear unsigned, with the error if one does
     */
    public static Verified verify(byte[] contentInfo, Set<ASN1ObjectIdentifier> contentTypes,
            Map<ASN1ObjectIdentifier, CryptoError> required, Map<ASN1ObjectIdentifier, CryptoError> neverUnsigned,
            CertificateValidator validator, ValidationTime at) {
        SignedDataParts parts;
        try {
            parts = SignedDataParts.read(contentInfo);
        } catch (DerReader.NotDer e) {
            parts = SignedDataParts.read(Der.normalise(contentInfo, "signed document"));
        }
        if (!contentTypes.contains(parts.contentType())) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE,
                    "signed content of type " + parts.contentType() + " is not accepted");
        }
        for (ASN1Encodable a : parts.digestAlgorithms()) {
            requireDigest(Der.convert(a, "digest algorithm", AlgorithmIdentifier::getInstance));
        }
        if (parts.contentOffset() < 0) {
            throw new CryptoException(CryptoError.CONTENT_EMPTY, "the signed document has no encapsulated content");
        }
        if (parts.signerInfos().size() != 1) {
            throw new CryptoException(CryptoError.SIGNER_INVALID, "expected exactly one signer, found " + parts.signerInfos().size());
        }
        SignerInfo signer = Der.convert(parts.signerInfos().getObjectAt(0), "signer info", SignerInfo::getInstance);
        requireDigest(signer.getDigestAlgorithm());
        AlgorithmIdentifier signatureAlgorithm = signer.getDigestEncryptionAlgorithm();
        AlgorithmSuite.require(AlgorithmSuite.INTL.signature(), signatureAlgorithm.getAlgorithm(), "signature algorithm");
        if (signatureAlgorithm.getParameters() != null) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "ECDSA signature algorithm takes no parameters");
        }

        ASN1Set signedSet = signer.getAuthenticatedAttributes();
        if (signedSet == null) {
            throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "the signature has no signed attributes");
        }
        if (signedSet.size() > MAX_SIGNED_ATTRIBUTES) {
            throw new CryptoException(CryptoError.LIMIT_EXCEEDED, "too many signed attributes");
        }
        AttributeTable attrs = new AttributeTable(signedSet);
        requireSingle(attrs, CMSAttributes.contentType, CryptoError.SIGNED_ATTRIBUTE_MISSING);
        requireSingle(attrs, CMSAttributes.messageDigest, CryptoError.SIGNED_ATTRIBUTE_MISSING);
        requireSingle(attrs, CMSAttributes.signingTime, CryptoError.SIGNED_ATTRIBUTE_MISSING);
        requireSingle(attrs, CMSAttributes.cmsAlgorithmProtect, CryptoError.SIGNED_ATTRIBUTE_MISSING);
        required.forEach((type, error) -> requireSingle(attrs, type, error));
        noDuplicates(signedSet);
        if (signer.getUnauthenticatedAttributes() != null) {
            AttributeTable unsigned = new AttributeTable(signer.getUnauthenticatedAttributes());
            neverUnsigned.forEach((type, error) -> {
                if (unsigned.get(type) != null) {
                    throw new CryptoException(error, "attribute " + type + " must be signed, but is unsigned");
                }
            });
        }
        if (!parts.contentType().equals(attrs.get(CMSAttributes.contentType).getAttrValues().getObjectAt(0))) {
            throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "the content-type attribute disagrees with the content");
        }
        CMSAlgorithmProtection protection;
        try {
            protection = CMSAlgorithmProtection.getInstance(attrs.get(CMSAttributes.cmsAlgorithmProtect).getAttrValues().getObjectAt(0));
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.ALGORITHM_MISMATCH, "unreadable algorithm protection attribute", e);
        }
        if (!signer.getDigestAlgorithm().equals(protection.getDigestAlgorithm())
                || protection.getSignatureAlgorithm() == null || protection.getMacAlgorithm() != null
                || !signatureAlgorithm.equals(protection.getSignatureAlgorithm())) {
            throw new CryptoException(CryptoError.ALGORITHM_MISMATCH, "the algorithms used differ from the signed algorithm protection");
        }
        Instant claimed;
        try {
            claimed = Time.getInstance(attrs.get(CMSAttributes.signingTime).getAttrValues().getObjectAt(0)).getDate().toInstant();
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "unreadable signing time", e);
        }

        List<X509Certificate> chain = parts.signerChain(signer.getSID());
        byte[] signedAttributesDer;
        try {
            signedAttributesDer = signedSet.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new CryptoException(CryptoError.MALFORMED, "cannot encode signed attributes", e);
        }
        byte[] declaredDigest;
        try {
            declaredDigest = ASN1OctetString.getInstance(attrs.get(CMSAttributes.messageDigest).getAttrValues().getObjectAt(0)).getOctets();
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "unreadable message digest", e);
        }
        MessageDigest sha256 = Aes.sha256();
        sha256.update(parts.buffer(), parts.contentOffset(), parts.contentLength());
        if (!MessageDigest.isEqual(declaredDigest, sha256.digest())) {
            throw new CryptoException(CryptoError.SIGNATURE_INVALID, "content does not match the signed message digest");
        }
        byte[] signature = signer.getEncryptedDigest().getOctets();
        if (!Signatures.verify(chain.getFirst(), signedAttributesDer, signature)) {
            throw new CryptoException(CryptoError.SIGNATURE_INVALID, "signature does not verify");
        }
        X509Certificate leaf = chain.getFirst();
        if (claimed.isBefore(leaf.getNotBefore().toInstant()) || claimed.isAfter(leaf.getNotAfter().toInstant())) {
            throw new CryptoException(CryptoError.CERTIFICATE_EXPIRED, "the claimed signing time is outside the signer's validity");
        }
        ValidatedCertificate certificate = validator.validate(chain, CertificateUsage.DOCUMENT_SIGNING, at);
        return new Verified(parts.contentType(), parts.buffer(), parts.contentOffset(), parts.contentLength(), attrs,
                signedAttributesDer, signature, certificate, claimed);
    }

    private static void requireDigest(AlgorithmIdentifier algorithm) {
        AlgorithmSuite.require(AlgorithmSuite.INTL.digest(), algorithm.getAlgorithm(), "digest algorithm");
        if (algorithm.getParameters() != null && !(algorithm.getParameters() instanceof ASN1Null)) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "SHA-256 takes no parameters");
        }
    }

    private static void requireSingle(AttributeTable attrs, ASN1ObjectIdentifier type, CryptoError error) {
        var all = attrs.getAll(type);
        if (all.size() != 1) {
            throw new CryptoException(error, "signed attribute " + type + (all.size() == 0 ? " is missing" : " is repeated"));
        }
        Attribute a = (Attribute) all.get(0);
        if (a.getAttrValues().size() != 1) {
            throw new CryptoException(error, "signed attribute " + type + " must have exactly one value");
        }
    }

    private static void noDuplicates(ASN1Set signed) {
        Set<ASN1ObjectIdentifier> seen = new HashSet<>();
        for (ASN1Encodable e : signed) {
            Attribute a = Der.convert(e, "attribute", Attribute::getInstance);
            if (!seen.add(a.getAttrType())) {
                throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "signed attribute " + a.getAttrType() + " is repeated");
            }
        }
    }
}
