package dev.pouch.crypto.internal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

import java.util.ArrayList;
import java.util.List;

/**
 * The ESS signed-receipt types of RFC 2634 §2.7–2.8 (IMPLICIT TAGS), which Bouncy Castle names by
 * OID but does not model.
 */
public final class Ess {

    /** id-aa-receiptRequest. */
    public static final ASN1ObjectIdentifier RECEIPT_REQUEST = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.1");
    /** id-aa-msgSigDigest. */
    public static final ASN1ObjectIdentifier MSG_SIG_DIGEST = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.5");
    /** id-aa-securityLabel. */
    public static final ASN1ObjectIdentifier SECURITY_LABEL = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.2.2");
    /** id-ct-receipt. */
    public static final ASN1ObjectIdentifier CT_RECEIPT = new ASN1ObjectIdentifier("1.2.840.113549.1.9.16.1.1");

    private Ess() {
    }

    /**
     * <pre>
     * ReceiptRequest ::= SEQUENCE {
     *   signedContentIdentifier ContentIdentifier,            -- OCTET STRING
     *   receiptsFrom ReceiptsFrom,                            -- CHOICE { allOrFirstTier [0] INTEGER, receiptList [1] SEQUENCE OF GeneralNames }
     *   receiptsTo SEQUENCE SIZE (1..ub-receiptsTo) OF GeneralNames }
     * </pre>
     */
    public record ReceiptRequest(byte[] signedContentIdentifier, int allOrFirstTier, List<GeneralNames> receiptsTo) {

        public static final int ALL_RECEIPTS = 0;
        private static final int UB_RECEIPTS_TO = 16;

        public ASN1Sequence toAsn1() {
            ASN1EncodableVector to = new ASN1EncodableVector();
            receiptsTo.forEach(to::add);
            return new DERSequence(new ASN1Encodable[] {
                    new DEROctetString(signedContentIdentifier),
                    new DERTaggedObject(false, 0, new ASN1Integer(allOrFirstTier)),
                    new DERSequence(to)});
        }

        public static ReceiptRequest fromAsn1(ASN1Encodable value) {
            try {
                ASN1Sequence s = ASN1Sequence.getInstance(value);
                if (s.size() != 3) {
                    throw new IllegalArgumentException("ReceiptRequest has " + s.size() + " fields");
                }
                byte[] id = ASN1OctetString.getInstance(s.getObjectAt(0)).getOctets();
                ASN1TaggedObject from = ASN1TaggedObject.getInstance(s.getObjectAt(1));
                int tier = from.getTagNo() == 0 ? ASN1Integer.getInstance(from, false).intValueExact() : -1;
                List<GeneralNames> to = new ArrayList<>();
                for (ASN1Encodable e : ASN1Sequence.getInstance(s.getObjectAt(2))) {
                    to.add(GeneralNames.getInstance(e));
                }
                if (id.length == 0 || id.length > 64 || to.isEmpty() || to.size() > UB_RECEIPTS_TO) {
                    throw new IllegalArgumentException("ReceiptRequest field out of range");
                }
                return new ReceiptRequest(id, tier, to);
            } catch (RuntimeException e) {
                throw new CryptoException(CryptoError.SIGNED_ATTRIBUTE_MISSING, "unreadable receipt request: " + e.getMessage(), e);
            }
        }

        /** A request for receipts from every recipient, to be returned to {@code uri}. */
        public static ReceiptRequest allReceiptsTo(byte[] contentIdentifier, String uri) {
            return new ReceiptRequest(contentIdentifier, ALL_RECEIPTS,
                    List.of(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri))));
        }
    }

    /**
     * <pre>
     * Receipt ::= SEQUENCE {
     *   version ESSVersion,                     -- 1
     *   contentType ContentType,
     *   signedContentIdentifier ContentIdentifier,
     *   originatorSignatureValue OCTET STRING }
     * </pre>
     */
    public record Receipt(ASN1ObjectIdentifier contentType, byte[] signedContentIdentifier, byte[] originatorSignatureValue) {

        public ASN1Sequence toAsn1() {
            return new DERSequence(new ASN1Encodable[] {
                    new ASN1Integer(1), contentType,
                    new DEROctetString(signedContentIdentifier), new DEROctetString(originatorSignatureValue)});
        }

        public static Receipt fromAsn1(ASN1Encodable value) {
            try {
                ASN1Sequence s = ASN1Sequence.getInstance(value);
                if (s.size() != 4 || ASN1Integer.getInstance(s.getObjectAt(0)).intValueExact() != 1) {
                    throw new IllegalArgumentException("not a version 1 Receipt");
                }
                return new Receipt(ASN1ObjectIdentifier.getInstance(s.getObjectAt(1)),
                        ASN1OctetString.getInstance(s.getObjectAt(2)).getOctets(),
                        ASN1OctetString.getInstance(s.getObjectAt(3)).getOctets());
            } catch (RuntimeException e) {
                throw new CryptoException(CryptoError.RECEIPT_INVALID, "unreadable receipt: " + e.getMessage(), e);
            }
        }
    }
}
