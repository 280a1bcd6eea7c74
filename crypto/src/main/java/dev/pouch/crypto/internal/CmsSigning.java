package dev.pouch.crypto.internal;

import dev.pouch.crypto.pki.KeyCredential;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Produces CMS {@code SignedData} (ECDSA P-256 with SHA-256, content encapsulated). Bouncy
 * Castle's generator adds content type, message digest and CMS algorithm protection (RFC 6211);
 * we add the signing time and the caller's attributes. The content digest runs on the JDK's SHA-256.
 */
public final class CmsSigning {

    private static final DigestCalculatorProvider DIGESTS;

    static {
        try {
            DIGESTS = new JcaDigestCalculatorProviderBuilder().setProvider("SUN").build();
        } catch (OperatorCreationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CmsSigning() {
    }

    public static DigestCalculatorProvider digests() {
        return DIGESTS;
    }

    /** An attribute with one value. */
    public static Attribute attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new Attribute(type, new DERSet(value));
    }

    /**
     * Signs {@code content} and returns the DER {@code ContentInfo(SignedData)}; the signer's
     * chain without the root travels in the certificates field.
     */
    public static byte[] sign(KeyCredential signer, ASN1ObjectIdentifier contentType, byte[] content,
            Instant signingTime, List<Attribute> attributes) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(attribute(CMSAttributes.signingTime, new Time(Date.from(signingTime))));
        attributes.forEach(v::add);
        try {
            var contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Bc.PROVIDER)
                    .setSecureRandom(Bc.random()).build(signer.privateKey());
            var signerInfo = new JcaSignerInfoGeneratorBuilder(DIGESTS)
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(v)))
                    .build(contentSigner, signer.certificate());
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(signerInfo);
            List<X509Certificate> carried = signer.chain().stream()
                    .filter(c -> c.getBasicConstraints() < 0 || !c.getSubjectX500Principal().equals(c.getIssuerX500Principal()))
                    .toList();
            generator.addCertificates(new JcaCertStore(carried));
            CMSSignedData signed = generator.generate(new CMSProcessableByteArray(contentType, content), true);
            return signed.toASN1Structure().getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | CertificateEncodingException | IOException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }
    }
}
