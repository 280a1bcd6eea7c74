package dev.pouch.crypto.internal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.pki.Certificates;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fields of a DER {@code ContentInfo(SignedData)}, located by offsets: small fields parsed
 * with Bouncy Castle, the encapsulated content left in place.
 */
record SignedDataParts(byte[] buffer, ASN1ObjectIdentifier contentType, ASN1Set digestAlgorithms,
        int contentOffset, int contentLength, List<X509Certificate> certificates, ASN1Set signerInfos) {

    private static final int MAX_CERTIFICATES = 8;

    static SignedDataParts read(byte[] bytes) {
        DerReader top = DerReader.of(bytes);
        DerReader.Tlv contentInfo = top.next(0x30, "ContentInfo");
        top.end("signed document");
        DerReader ci = contentInfo.children();
        ASN1ObjectIdentifier type = Der.oid(ci.next(0x06, "content type"));
        if (!CMSObjectIdentifiers.signedData.equals(type)) {
            throw new CryptoException(CryptoError.UNSUPPORTED_CONTENT_TYPE, "expected SignedData, found " + type);
        }
        DerReader explicit = ci.next(0xA0, "content").children();
        ci.end("ContentInfo");
        DerReader sd = explicit.next(0x30, "SignedData").children();
        explicit.end("content");
        Der.integer(sd.next(0x02, "version"));
        ASN1Set digestAlgorithms = Der.parse(sd.next(0x31, "digest algorithms").encoding(), "digest algorithms", ASN1Set::getInstance);
        DerReader encap = sd.next(0x30, "encapsulated content").children();
        ASN1ObjectIdentifier contentType = Der.oid(encap.next(0x06, "encapsulated content type"));
        int offset = -1;
        int length = 0;
        if (encap.hasNext()) {
            DerReader eContent = encap.next(0xA0, "encapsulated content").children();
            int tag = eContent.peekTag();
            if (tag == 0x24) {
                throw new DerReader.NotDer(); // segmented OCTET STRING: BER, normalise
            }
            if (tag != 0x04) {
                throw new CryptoException(CryptoError.MALFORMED, "the encapsulated content is not an OCTET STRING");
            }
            DerReader.Tlv octets = eContent.next();
            eContent.end("encapsulated content");
            offset = octets.contentStart();
            length = octets.contentLength();
        }
        encap.end("encapsulated content info");
        List<X509Certificate> certificates = new ArrayList<>();
        if (sd.peekTag() == 0xA0) {
            DerReader certs = sd.next().children();
            while (certs.hasNext()) {
                DerReader.Tlv cert = certs.next();
                if (cert.tag() != 0x30) {
                    continue; // other certificate formats (attribute certificates) are not used
                }
                if (certificates.size() >= MAX_CERTIFICATES) {
                    throw new CryptoException(CryptoError.LIMIT_EXCEEDED, "too many certificates in the document");
                }
                certificates.add(Certificates.parseCached(cert.encoding()));
            }
        }
        if (sd.peekTag() == 0xA1) {
            sd.next(); // CRLs: revocation comes from the exchange's own trust store
        }
        ASN1Set signerInfos = Der.parse(sd.next(0x31, "signer infos").encoding(), "signer infos", ASN1Set::getInstance);
        sd.end("SignedData");
        return new SignedDataParts(bytes, contentType, digestAlgorithms, offset, length, List.copyOf(certificates), signerInfos);
    }

    /** The signer's certificate first, then the other certificates carried (possible intermediates). */
    List<X509Certificate> signerChain(SignerIdentifier sid) {
        X509Certificate leaf = null;
        int matches = 0;
        for (X509Certificate c : certificates) {
            if (identifies(sid, c)) {
                leaf = c;
                matches++;
            }
        }
        if (matches != 1) {
            throw new CryptoException(CryptoError.SIGNER_INVALID, "the signer's certificate is not in the document");
        }
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(leaf);
        for (X509Certificate c : certificates) {
            if (c != leaf) {
                chain.add(c);
            }
        }
        return chain;
    }

    private static boolean identifies(SignerIdentifier sid, X509Certificate c) {
        if (sid.getId() instanceof IssuerAndSerialNumber || !sid.isTagged()) {
            IssuerAndSerialNumber ias = IssuerAndSerialNumber.getInstance(sid.getId());
            return ias.getSerialNumber().getValue().equals(c.getSerialNumber())
                    && ias.getName().equals(X500Name.getInstance(c.getIssuerX500Principal().getEncoded()));
        }
        byte[] ski = c.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski == null) {
            return false;
        }
        byte[] id = SubjectKeyIdentifier.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(ski).getOctets()).getKeyIdentifier();
        return Arrays.equals(id, org.bouncycastle.asn1.ASN1OctetString.getInstance(sid.getId()).getOctets());
    }
}
