package dev.pouch.crypto.internal;

import dev.pouch.crypto.AlgorithmSuite;
import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.ValidationTime;
import dev.pouch.crypto.pki.CertificateUsage;
import dev.pouch.crypto.pki.CertificateValidator;
import dev.pouch.crypto.pki.Certificates;
import dev.pouch.crypto.pki.ValidatedCertificate;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAlgorithmProtection;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignerDigestMismatchException;
import org.bouncycastle.cms.CMSVerifierCertificateNotValidException;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies a CMS {@code SignedData} the strict way the Pouch profile requires: one signer, suite
 * algorithms only, mandatory signed attributes present exactly once, protected attributes never
 * unsigned, algorithm protection consistent, signature valid, and the signer certificate validated
 * for document signing at a time the caller chooses.
 */
public final class SignedDataVerifier {

    private SignedDataVerifier() {
    }

    /** The checked parts of a verified {@code SignedData}. */
    public record Verified(ASN1ObjectIdentifier contentType, byte[] content, SignerInformation signer,
            AttributeTable signedAttributes, ValidatedCertificate certificate, Instant claimedSigningTime) {

        /** The single value of a signed attribute known to be present. */
        public ASN1Encodable value(ASN1ObjectIdentifier type) {
            return signedAttributes.get(type).getAttrValues().getObjectAt(0);
        }
    }

    /**
     * @param required   signed attributes that must be present, with the error if one is not
     * @param neverUnsigned attributes that must not appear unsigned, with the error if one does
     */
    public static Verified verify(byte[] contentInfo, Set<ASN1ObjectIdentifier> contentTypes,
            Map<ASN1ObjectIdentifier, CryptoError> required, Map<ASN1ObjectIdentifier, CryptoError> neverUnsigned,
            CertificateValidator validator, ValidationTime at) {
        ContentInfo info = Der.parse(contentInfo, "signed document", ContentInfo::getInstance);
        if (!CMSObjectIdentifiers.signedData.equals(info.getContentType())) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE, "expected SignedData, found " + info.getContentType());
        }
        SignedData sd = Der.convert(info.getContent(), "SignedData", SignedData::getInstance);
        CMSSignedData signed;
        try {
            signed = new CMSSignedData(info);
        } catch (CMSException | RuntimeException e) {
            throw new CryptoException(CryptoError.MALFORMED, "unreadable SignedData", e);
        }
        ASN1ObjectIdentifier contentType = sd.getEncapContentInfo().getContentType();
        if (!contentTypes.contains(contentType)) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE, "signed content of type " + contentType + " is not accepted");
        }
        for (ASN1Encodable a : sd.getDigestAlgorithms()) {
            requireDigest(AlgorithmIdentifier.getInstance(a));
        }
        if (signed.getSignedContent() == null) {
            throw new CryptoException(CryptoError.CONTENT_EMPTY, "the signed document has no encapsulated content");
        }
        if (!(sd.getEncapContentInfo().getContent() instanceof org.bouncycastle.asn1.ASN1OctetString)
                || !(signed.getSignedContent().getContent() instanceof byte[] content)) {
            throw new CryptoException(CryptoError.MALFORMED, "the encapsulated content is not an OCTET STRING");
        }
        Collection<SignerInformation> signers = signed.getSignerInfos().getSigners();
        if (signers.size() != 1) {
            throw new CryptoException(CryptoError.SIGNER_INVALID, "expected exactly one signer, found " + signers.size());
        }
        SignerInformation signer = signers.iterator().next();
        requireDigest(signer.getDigestAlgorithmID());
        AlgorithmIdentifier signatureAlgorithm = signer.toASN1Structure().getDigestEncryptionAlgorithm();
        AlgorithmSuite.require(AlgorithmSuite.INTL.signature(), signatureAlgorithm.getAlgorithm(), "signature algorithm");
        if (signatureAlgorithm.getParameters() != null) {
            throw new CryptoException(CryptoError.UNSUPPORTED_ALGORITHM, "ECDSA signature algorithm takes no parameters");
        }

        AttributeTable attrs = signer.getSignedAttributes();
        if (attrs == null) {
            throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "the signature has no signed attributes");
        }
        requireSingle(attrs, CMSAttributes.contentType, CryptoError.SIGNED_ATTRIBUTE_MISSING);
        requireSingle(attrs, CMSAttributes.messageDigest, CryptoError.SIGNED_ATTRIBUTE_MISSING);
        requireSingle(attrs, CMSAttributes.signingTime, CryptoError.SIGNED_ATTRIBUTE_MISSING);
        requireSingle(attrs, CMSAttributes.cmsAlgorithmProtect, CryptoError.SIGNED_ATTRIBUTE_MISSING);
        required.forEach((type, error) -> requireSingle(attrs, type, error));
        noDuplicates(attrs);
        AttributeTable unsigned = signer.getUnsignedAttributes();
        if (unsigned != null) {
            neverUnsigned.forEach((type, error) -> {
                if (unsigned.get(type) != null) {
                    throw new CryptoException(error, "attribute " + type + " must be signed, but is unsigned");
                }
            });
        }
        ASN1Encodable typeAttr = attrs.get(CMSAttributes.contentType).getAttrValues().getObjectAt(0);
        if (!contentType.equals(typeAttr)) {
            throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "the content-type attribute disagrees with the content");
        }
        CMSAlgorithmProtection protection;
        try {
            protection = CMSAlgorithmProtection.getInstance(attrs.get(CMSAttributes.cmsAlgorithmProtect).getAttrValues().getObjectAt(0));
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.ALGORITHM_MISMATCH, "unreadable algorithm protection attribute", e);
        }
        if (!signer.getDigestAlgorithmID().equals(protection.getDigestAlgorithm())
                || protection.getSignatureAlgorithm() == null
                || !signatureAlgorithm.equals(protection.getSignatureAlgorithm())) {
            throw new CryptoException(CryptoError.ALGORITHM_MISMATCH, "the algorithms used differ from the signed algorithm protection");
        }
        Instant claimed;
        try {
            claimed = Time.getInstance(attrs.get(CMSAttributes.signingTime).getAttrValues().getObjectAt(0)).getDate().toInstant();
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "unreadable signing time", e);
        }

        List<X509Certificate> chain = signerChain(signed, signer);
        boolean verified;
        try {
            var verifier = new JcaSignerInfoVerifierBuilder(CmsSigning.digests()).setProvider(Bc.PROVIDER).build(chain.get(0));
            verified = signer.verify(verifier);
        } catch (CMSSignerDigestMismatchException e) {
            throw new CryptoException(CryptoError.SIGNATURE_INVALID, "content does not match the signed message digest", e);
        } catch (CMSVerifierCertificateNotValidException e) {
            throw new CryptoException(CryptoError.CERTIFICATE_EXPIRED, "the claimed signing time is outside the signer's validity", e);
        } catch (CMSException | OperatorCreationException | RuntimeException e) {
            throw new CryptoException(CryptoError.SIGNATURE_INVALID, "signature does not verify: " + e.getMessage(), e);
        }
        if (!verified) {
            throw new CryptoException(CryptoError.SIGNATURE_INVALID, "signature does not verify");
        }
        ValidatedCertificate certificate = validator.validate(chain, CertificateUsage.DOCUMENT_SIGNING, at);
        return new Verified(contentType, content, signer, attrs, certificate, claimed);
    }

    private static List<X509Certificate> signerChain(CMSSignedData signed, SignerInformation signer) {
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> matches = signed.getCertificates().getMatches(signer.getSID());
        if (matches.size() != 1) {
            throw new CryptoException(CryptoError.SIGNER_INVALID, "the signer's certificate is not in the document");
        }
        List<X509Certificate> chain = new ArrayList<>();
        X509CertificateHolder leaf = matches.iterator().next();
        chain.add(toCertificate(leaf));
        @SuppressWarnings("unchecked")
        Collection<X509CertificateHolder> all = signed.getCertificates().getMatches(null);
        for (X509CertificateHolder h : all) {
            if (!h.equals(leaf)) {
                chain.add(toCertificate(h));
            }
        }
        return chain;
    }

    private static X509Certificate toCertificate(X509CertificateHolder holder) {
        try {
            return Certificates.parse(holder.getEncoded());
        } catch (IOException e) {
            throw new CryptoException(CryptoError.MALFORMED, "unreadable certificate in document", e);
        }
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

    private static void noDuplicates(AttributeTable attrs) {
        var seen = new java.util.HashSet<ASN1ObjectIdentifier>();
        for (Attribute a : attrs.toASN1Structure().getAttributes()) {
            if (!seen.add(a.getAttrType())) {
                throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "signed attribute " + a.getAttrType() + " is repeated");
            }
        }
    }
}
