package dev.pouch.crypto.internal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.document.Classification;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * The ESS security label (RFC 2634 §3) that carries a document's classification:
 *
 * <pre>
 * ESSSecurityLabel ::= SET {
 *   security-policy-identifier  OBJECT IDENTIFIER,   -- the Pouch policy
 *   security-classification     INTEGER,             -- Classification.labelValue()
 *   privacy-mark                UTF8String }         -- e.g. "INTERNAL 内部", for people
 * </pre>
 */
public final class SecurityLabels {

    private SecurityLabels() {
    }

    public static ASN1Set encode(Classification classification) {
        return new DERSet(new ASN1Encodable[] {
                PouchOids.SECURITY_POLICY,
                new ASN1Integer(classification.labelValue()),
                new DERUTF8String(classification.name() + " " + classification.chineseName())});
    }

    /** The classification a label states; anything but a well-formed Pouch label is refused. */
    public static Classification decode(ASN1Encodable value) {
        try {
            ASN1Set set = ASN1Set.getInstance(value);
            ASN1ObjectIdentifier policy = null;
            Integer level = null;
            for (ASN1Encodable e : set) {
                if (e instanceof ASN1ObjectIdentifier oid && policy == null) {
                    policy = oid;
                } else if (e instanceof ASN1Integer i && level == null) {
                    level = i.intValueExact();
                } else if (!(e instanceof ASN1UTF8String) && !(e instanceof ASN1PrintableString)) {
                    throw new CryptoException(CryptoError.SECURITY_LABEL_INVALID, "unexpected element in security label");
                }
            }
            if (!PouchOids.SECURITY_POLICY.equals(policy)) {
                throw new CryptoException(CryptoError.SECURITY_LABEL_INVALID, "security label is not under the Pouch policy");
            }
            if (level == null) {
                throw new CryptoException(CryptoError.SECURITY_LABEL_INVALID, "security label has no classification");
            }
            int found = level;
            return Classification.fromLabelValue(found).orElseThrow(() -> new CryptoException(
                    CryptoError.SECURITY_LABEL_INVALID, "unknown classification value " + found));
        } catch (CryptoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.SECURITY_LABEL_INVALID, "unreadable security label", e);
        }
    }
}
