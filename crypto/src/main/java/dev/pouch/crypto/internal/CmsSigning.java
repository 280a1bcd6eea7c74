package dev.pouch.crypto.internal;

import dev.pouch.crypto.pki.Certificates;
import dev.pouch.crypto.pki.KeyCredential;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.DefaultSignedAttributeTableGenerator;
import org.bouncycastle.cms.SignerInfoGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

import java.io.IOException;
import java.io.OutputStream;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Produces CMS {@code SignedData} (ECDSA P-256 with SHA-256, content encapsulated) as three
 * pieces — the DER header up to the content, the content itself (never copied), and the DER
 * trailer with the certificates and the signer info — so that the envelope can encrypt it in
 * place. Bouncy Castle's {@link SignerInfoGenerator} computes the digest (on the JDK's SHA-256),
 * adds content type, message digest and CMS algorithm protection (RFC 6211), and signs; we add
 * the signing time and the caller's attributes.
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

    /** A signed document: {@code prefix || content || suffix} is the DER {@code ContentInfo(SignedData)}. */
    public record SignedPieces(byte[] prefix, byte[] content, byte[] suffix) {

        public long length() {
            return (long) prefix.length + content.length + suffix.length;
        }

        /** The whole encoding in one array (for small objects such as receipts). */
        public byte[] join() {
            byte[] all = new byte[Math.toIntExact(length())];
            System.arraycopy(prefix, 0, all, 0, prefix.length);
            System.arraycopy(content, 0, all, prefix.length, content.length);
            System.arraycopy(suffix, 0, all, prefix.length + content.length, suffix.length);
            return all;
        }
    }

    /** An attribute with one value. */
    public static Attribute attribute(ASN1ObjectIdentifier type, ASN1Encodable value) {
        return new Attribute(type, new DERSet(value));
    }

    /** Signs {@code content}; the signer's chain without the root travels in the certificates field. */
    public static SignedPieces sign(KeyCredential signer, ASN1ObjectIdentifier contentType, byte[] content,
            Instant signingTime, List<Attribute> attributes) {
        ASN1EncodableVector table = new ASN1EncodableVector();
        table.add(attribute(CMSAttributes.signingTime, new Time(Date.from(signingTime))));
        attributes.forEach(table::add);
        SignerInfo signerInfo;
        try {
            var contentSigner = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(Bc.PROVIDER)
                    .setSecureRandom(Bc.random()).build(signer.privateKey());
            SignerInfoGenerator generator = new JcaSignerInfoGeneratorBuilder(DIGESTS)
                    .setSignedAttributeGenerator(new DefaultSignedAttributeTableGenerator(new AttributeTable(table)))
                    .build(contentSigner, signer.certificate());
            try (OutputStream digesting = generator.getCalculatingOutputStream()) {
                digesting.write(content);
            }
            signerInfo = generator.generate(contentType);
        } catch (OperatorCreationException | CMSException | java.security.cert.CertificateEncodingException | IOException e) {
            throw new IllegalStateException("cannot sign: " + e.getMessage(), e);
        }

        ASN1EncodableVector certificates = new ASN1EncodableVector();
        for (X509Certificate c : signer.chain()) {
            boolean selfSignedRoot = c.getBasicConstraints() >= 0 && c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
            if (!selfSignedRoot) {
                certificates.add(org.bouncycastle.asn1.x509.Certificate.getInstance(Certificates.encoded(c)));
            }
        }
        // RFC 5652 §5.1: version 3 when the content is not id-data, otherwise 1 (issuerAndSerialNumber signer).
        byte[] version = Der.encode(new ASN1Integer(CMSObjectIdentifiers.data.equals(contentType) ? 1 : 3));
        byte[] digestAlgorithms = Der.encode(new DERSet(signerInfo.getDigestAlgorithm()));
        byte[] eContentType = Der.encode(contentType);
        byte[] suffix = concat(Der.encode(new DERTaggedObject(false, 0, new DERSet(certificates))),
                Der.encode(new DERSet(signerInfo)));
        byte[] signedDataOid = Der.encode(CMSObjectIdentifiers.signedData);

        long octets = DerWriter.elementLength(content.length);
        long eContent = DerWriter.elementLength(octets);
        long encapBody = eContentType.length + eContent;
        long sdBody = version.length + digestAlgorithms.length + DerWriter.elementLength(encapBody) + suffix.length;
        long sd = DerWriter.elementLength(sdBody);
        long ciBody = signedDataOid.length + DerWriter.elementLength(sd);

        int prefixLength = DerWriter.headerLength(ciBody) + signedDataOid.length + DerWriter.headerLength(sd)
                + DerWriter.headerLength(sdBody) + version.length + digestAlgorithms.length + DerWriter.headerLength(encapBody)
                + eContentType.length + DerWriter.headerLength(octets) + DerWriter.headerLength(content.length);
        byte[] prefix = new byte[prefixLength];
        new DerWriter(prefix, 0)
                .header(0x30, ciBody).bytes(signedDataOid)
                .header(0xA0, sd)
                .header(0x30, sdBody).bytes(version).bytes(digestAlgorithms)
                .header(0x30, encapBody).bytes(eContentType)
                .header(0xA0, octets)
                .header(0x04, content.length);
        return new SignedPieces(prefix, content, suffix);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
