package dev.pouch.crypto.corpus;

import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.internal.Bc;
import dev.pouch.crypto.internal.CmsSigning;
import dev.pouch.crypto.internal.Der;
import dev.pouch.crypto.internal.Ess;
import dev.pouch.crypto.internal.HeaderCodec;
import dev.pouch.crypto.internal.PouchOids;
import dev.pouch.crypto.internal.SecurityLabels;
import dev.pouch.crypto.pki.Identity;
import dev.pouch.crypto.pki.KeyCredential;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.CMSAlgorithmProtection;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.cms.Time;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Builds CMS {@code SignedData} attribute by attribute and signs it by hand, so that a case can
 * break exactly one rule of the Pouch profile while its signature still verifies.
 */
final class SignedDataForge {

    static final AlgorithmIdentifier SHA256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);
    static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

    private final KeyCredential signer;
    private PrivateKey signingKey;
    private final byte[] content;
    private ASN1ObjectIdentifier contentType;
    private AlgorithmIdentifier digest = SHA256;
    private String digestName = "SHA-256";
    private AlgorithmIdentifier signature = ECDSA_SHA256;
    private String signatureName = "SHA256withECDSA";
    private final List<Attribute> signed = new ArrayList<>();
    private final List<Attribute> unsigned = new ArrayList<>();
    private boolean withSignedAttributes = true;
    private List<X509Certificate> certificates;

    private SignedDataForge(KeyCredential signer, ASN1ObjectIdentifier contentType, byte[] content, List<Attribute> extra) {
        this.signer = signer;
        this.signingKey = signer.privateKey();
        this.content = content.clone();
        this.contentType = contentType;
        signed.add(CmsSigning.attribute(CMSAttributes.contentType, contentType));
        signed.add(CmsSigning.attribute(CMSAttributes.signingTime, new Time(Date.from(CorpusPki.NOW))));
        signed.add(protection());
        signed.add(messageDigest());
        signed.addAll(extra);
        // Like CmsSigning: the chain travels without the self-signed root.
        this.certificates = signer.chain().stream()
                .filter(c -> c.getBasicConstraints() < 0 || !c.getSubjectX500Principal().equals(c.getIssuerX500Principal()))
                .toList();
    }

    /** A Pouch document with the attributes {@code CmsSealer} writes, signed at the corpus's now. */
    static SignedDataForge document(KeyCredential signer, DocumentHeader header, byte[] content) {
        return new SignedDataForge(signer, CMSObjectIdentifiers.data, content, pouchAttributes(header));
    }

    /** Any signed content with the four standard attributes plus {@code extra}. */
    static SignedDataForge of(KeyCredential signer, ASN1ObjectIdentifier contentType, byte[] content, List<Attribute> extra) {
        return new SignedDataForge(signer, contentType, content, extra);
    }

    /** Receipt request, security label and header, exactly as {@code CmsSealer} makes them. */
    static List<Attribute> pouchAttributes(DocumentHeader header) {
        return List.of(
                CmsSigning.attribute(Ess.RECEIPT_REQUEST, receiptRequest(header.documentId(), header.sender())),
                CmsSigning.attribute(Ess.SECURITY_LABEL, SecurityLabels.encode(header.classification())),
                CmsSigning.attribute(PouchOids.ATTR_DOCUMENT_HEADER, HeaderCodec.encode(header)));
    }

    /** An ESS receipt request for {@code documentId}, receipts to go back to {@code sender}. */
    static ASN1Encodable receiptRequest(UUID documentId, OrgCode sender) {
        return Ess.ReceiptRequest.allReceiptsTo(HeaderCodec.uuidBytes(documentId),
                Identity.organization(sender).uri().orElseThrow()).toAsn1();
    }

    /** Changes the encapsulated content type and the content-type attribute together. */
    SignedDataForge contentType(ASN1ObjectIdentifier type) {
        this.contentType = type;
        return replace(CMSAttributes.contentType, type);
    }

    /** Uses another digest; the message digest and algorithm protection follow, so only the algorithm is wrong. */
    SignedDataForge digest(AlgorithmIdentifier algorithm, String jcaName) {
        this.digest = algorithm;
        this.digestName = jcaName;
        refreshComputed();
        return this;
    }

    /** Uses another signature algorithm; the algorithm protection follows. */
    SignedDataForge signature(AlgorithmIdentifier algorithm, String jcaName) {
        this.signature = algorithm;
        this.signatureName = jcaName;
        refreshComputed();
        return this;
    }

    SignedDataForge signingTime(Instant time) {
        return replace(CMSAttributes.signingTime, new Time(Date.from(time)));
    }

    SignedDataForge remove(ASN1ObjectIdentifier type) {
        signed.removeIf(a -> a.getAttrType().equals(type));
        return this;
    }

    /** Replaces the value of every signed attribute of {@code type}. */
    SignedDataForge replace(ASN1ObjectIdentifier type, ASN1Encodable value) {
        signed.replaceAll(a -> a.getAttrType().equals(type) ? CmsSigning.attribute(type, value) : a);
        return this;
    }

    SignedDataForge add(Attribute attribute) {
        signed.add(attribute);
        return this;
    }

    SignedDataForge addUnsigned(Attribute attribute) {
        unsigned.add(attribute);
        return this;
    }

    /** Signs with another key than the one the signer's certificate names. */
    SignedDataForge signingKey(PrivateKey key) {
        this.signingKey = key;
        return this;
    }

    /** Signs the content itself, with no signed attributes at all. */
    SignedDataForge noSignedAttributes() {
        this.withSignedAttributes = false;
        return this;
    }

    /** The certificates carried in the {@code SignedData} (default: the signer's chain without the root). */
    SignedDataForge certificates(List<X509Certificate> carried) {
        this.certificates = List.copyOf(carried);
        return this;
    }

    List<X509Certificate> certificates() {
        return certificates;
    }

    byte[] content() {
        return content.clone();
    }

    /** The signed attributes as the signature covers them: a DER SET. */
    ASN1Set signedAttributes() {
        ASN1EncodableVector v = new ASN1EncodableVector();
        signed.forEach(v::add);
        return new DERSet(v);
    }

    /** A freshly signed {@code SignerInfo} over the current state. */
    SignerInfo signerInfo() {
        X509Certificate cert = signer.certificate();
        SignerIdentifier sid = new SignerIdentifier(new IssuerAndSerialNumber(
                X500Name.getInstance(cert.getIssuerX500Principal().getEncoded()), cert.getSerialNumber()));
        ASN1Set attrs = withSignedAttributes ? signedAttributes() : null;
        byte[] toSign = attrs == null ? content : Der.encode(attrs);
        ASN1Set unsignedSet = unsigned.isEmpty() ? null : new DERSet(unsigned.toArray(ASN1Encodable[]::new));
        return new SignerInfo(sid, digest, attrs, signature, new DEROctetString(sign(toSign)), unsignedSet);
    }

    /** The DER {@code ContentInfo(SignedData)} with one signer. */
    byte[] encode() {
        return encode(content, List.of(signerInfo()));
    }

    /** The DER {@code ContentInfo(SignedData)} with the given content ({@code null}: detached) and signers. */
    byte[] encode(byte[] eContent, List<SignerInfo> signerInfos) {
        return assemble(contentType, eContent, List.of(digest), certificates, signerInfos);
    }

    static byte[] assemble(ASN1ObjectIdentifier eContentType, byte[] eContent, List<AlgorithmIdentifier> digests,
            List<X509Certificate> certificates, List<SignerInfo> signerInfos) {
        return assemble(eContentType, eContent == null ? null : new DEROctetString(eContent), digests, certificates,
                signerInfos);
    }

    /** As above, with any ASN.1 value as eContent (RFC 5652 allows only an OCTET STRING). */
    static byte[] assemble(ASN1ObjectIdentifier eContentType, ASN1Encodable eContent, List<AlgorithmIdentifier> digests,
            List<X509Certificate> certificates, List<SignerInfo> signerInfos) {
        ASN1EncodableVector certs = new ASN1EncodableVector();
        for (X509Certificate c : certificates) {
            try {
                certs.add(Certificate.getInstance(c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        ContentInfo encapsulated = new ContentInfo(eContentType, eContent);
        SignedData sd = new SignedData(new DERSet(digests.toArray(ASN1Encodable[]::new)), encapsulated,
                certs.size() == 0 ? null : new DERSet(certs), null, new DERSet(signerInfos.toArray(ASN1Encodable[]::new)));
        return Der.encode(new ContentInfo(CMSObjectIdentifiers.signedData, sd));
    }

    /** The same signer info with other signed attributes but the old signature value. */
    static SignerInfo withSignedAttributes(SignerInfo info, ASN1Set attributes) {
        return new SignerInfo(info.getSID(), info.getDigestAlgorithm(), attributes, info.getDigestEncryptionAlgorithm(),
                info.getEncryptedDigest(), info.getUnauthenticatedAttributes());
    }

    /** The same signer info with another signature value. */
    static SignerInfo withSignature(SignerInfo info, byte[] signatureValue) {
        return new SignerInfo(info.getSID(), info.getDigestAlgorithm(), info.getAuthenticatedAttributes(),
                info.getDigestEncryptionAlgorithm(), new DEROctetString(signatureValue), info.getUnauthenticatedAttributes());
    }

    private void refreshComputed() {
        signed.replaceAll(a -> {
            if (a.getAttrType().equals(CMSAttributes.messageDigest)) {
                return messageDigest();
            }
            if (a.getAttrType().equals(CMSAttributes.cmsAlgorithmProtect)) {
                return protection();
            }
            return a;
        });
    }

    private Attribute messageDigest() {
        try {
            byte[] d = MessageDigest.getInstance(digestName).digest(content);
            return CmsSigning.attribute(CMSAttributes.messageDigest, new DEROctetString(d));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Attribute protection() {
        return CmsSigning.attribute(CMSAttributes.cmsAlgorithmProtect,
                new CMSAlgorithmProtection(digest, CMSAlgorithmProtection.SIGNATURE, signature));
    }

    private byte[] sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(signatureName, Bc.PROVIDER);
            s.initSign(signingKey, Bc.random());
            s.update(data);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + signatureName, e);
        }
    }
}
