package dev.pouch.crypto.internal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import dev.pouch.crypto.document.Attachment;
import dev.pouch.crypto.document.Classification;
import dev.pouch.crypto.document.DocumentHeader;
import dev.pouch.crypto.document.DocumentType;
import dev.pouch.crypto.document.OrgCode;
import dev.pouch.crypto.document.Precedence;
import dev.pouch.crypto.document.SharingScope;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.DERGeneralizedTime;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;

import java.nio.ByteBuffer;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * DER form of {@link DocumentHeader}, carried as a signed attribute:
 *
 * <pre>
 * PouchDocumentHeader ::= SEQUENCE {
 *   version                INTEGER (1),
 *   documentId             OCTET STRING (SIZE (16)),   -- UUID
 *   documentNumber         UTF8String,
 *   documentType           UTF8String,                 -- e.g. "NOTICE"
 *   subject                UTF8String,
 *   sender                 UTF8String,                 -- organization code
 *   actionRecipients       SEQUENCE OF UTF8String,
 *   informationRecipients  SEQUENCE OF UTF8String,
 *   precedence             UTF8String,
 *   sharingScope           UTF8String,
 *   attachments            SEQUENCE OF SEQUENCE { name UTF8String, mediaType UTF8String, size INTEGER },
 *   inReplyTo              [0] IMPLICIT OCTET STRING (SIZE (16)) OPTIONAL,
 *   deadline               [1] IMPLICIT GeneralizedTime OPTIONAL }
 * </pre>
 *
 * The classification is not here: it lives only in the ESS security label.
 */
public final class HeaderCodec {

    private static final int VERSION = 1;

    private HeaderCodec() {
    }

    public static ASN1Sequence encode(DocumentHeader h) {
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(new ASN1Integer(VERSION));
        v.add(new DEROctetString(uuidBytes(h.documentId())));
        v.add(new DERUTF8String(h.documentNumber()));
        v.add(new DERUTF8String(h.type().name()));
        v.add(new DERUTF8String(h.subject()));
        v.add(new DERUTF8String(h.sender().value()));
        v.add(codes(h.actionRecipients()));
        v.add(codes(h.informationRecipients()));
        v.add(new DERUTF8String(h.precedence().name()));
        v.add(new DERUTF8String(h.sharingScope().name()));
        ASN1EncodableVector attachments = new ASN1EncodableVector();
        for (Attachment a : h.attachments()) {
            attachments.add(new DERSequence(new ASN1Encodable[] {
                    new DERUTF8String(a.name()), new DERUTF8String(a.mediaType()), new ASN1Integer(a.size())}));
        }
        v.add(new DERSequence(attachments));
        h.inReplyTo().ifPresent(id -> v.add(new DERTaggedObject(false, 0, new DEROctetString(uuidBytes(id)))));
        h.deadline().ifPresent(d -> v.add(new DERTaggedObject(false, 1, new DERGeneralizedTime(Date.from(d)))));
        return new DERSequence(v);
    }

    /** Decodes a header; any deviation is {@code HEADER_INVALID}. */
    public static DocumentHeader decode(ASN1Encodable encoded, Classification classification) {
        try {
            ASN1Sequence s = ASN1Sequence.getInstance(encoded);
            if (s.size() < 11 || s.size() > 13) {
                throw invalid("wrong number of fields");
            }
            if (ASN1Integer.getInstance(s.getObjectAt(0)).intValueExact() != VERSION) {
                throw invalid("unknown header version");
            }
            DocumentHeader.Builder b = DocumentHeader.builder()
                    .documentId(uuid(s.getObjectAt(1)))
                    .documentNumber(text(s.getObjectAt(2)))
                    .type(DocumentType.valueOf(text(s.getObjectAt(3))))
                    .subject(text(s.getObjectAt(4)))
                    .sender(OrgCode.of(text(s.getObjectAt(5))))
                    .actionRecipients(codes(s.getObjectAt(6)))
                    .informationRecipients(codes(s.getObjectAt(7)))
                    .precedence(Precedence.valueOf(text(s.getObjectAt(8))))
                    .sharingScope(SharingScope.valueOf(text(s.getObjectAt(9))))
                    .classification(classification);
            for (ASN1Encodable e : ASN1Sequence.getInstance(s.getObjectAt(10))) {
                ASN1Sequence a = ASN1Sequence.getInstance(e);
                if (a.size() != 3) {
                    throw invalid("malformed attachment");
                }
                b.attachment(new Attachment(text(a.getObjectAt(0)), text(a.getObjectAt(1)),
                        ASN1Integer.getInstance(a.getObjectAt(2)).longValueExact()));
            }
            int lastTag = -1;
            for (int i = 11; i < s.size(); i++) {
                ASN1TaggedObject t = ASN1TaggedObject.getInstance(s.getObjectAt(i));
                if (t.getTagNo() <= lastTag) {
                    throw invalid("optional fields out of order");
                }
                lastTag = t.getTagNo();
                switch (t.getTagNo()) {
                    case 0 -> b.inReplyTo(uuid(ASN1OctetString.getInstance(t, false)));
                    case 1 -> b.deadline(time(ASN1GeneralizedTime.getInstance(t, false)));
                    default -> throw invalid("unknown optional field [" + t.getTagNo() + "]");
                }
            }
            return b.build();
        } catch (CryptoException e) {
            throw e.error() == CryptoError.HEADER_INVALID ? e
                    : new CryptoException(CryptoError.HEADER_INVALID, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.HEADER_INVALID, "unreadable header: " + e.getMessage(), e);
        }
    }

    public static byte[] uuidBytes(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    public static UUID uuid(byte[] bytes) {
        if (bytes.length != 16) {
            throw invalid("a UUID is 16 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        return new UUID(b.getLong(), b.getLong());
    }

    private static UUID uuid(ASN1Encodable e) {
        return uuid(ASN1OctetString.getInstance(e).getOctets());
    }

    private static String text(ASN1Encodable e) {
        if (!(e instanceof ASN1UTF8String s)) {
            throw invalid("expected a UTF8String");
        }
        return s.getString();
    }

    private static DERSequence codes(List<OrgCode> codes) {
        ASN1EncodableVector v = new ASN1EncodableVector(codes.size());
        codes.forEach(c -> v.add(new DERUTF8String(c.value())));
        return new DERSequence(v);
    }

    private static List<OrgCode> codes(ASN1Encodable e) {
        List<OrgCode> result = new ArrayList<>();
        for (ASN1Encodable c : ASN1Sequence.getInstance(e)) {
            result.add(OrgCode.of(text(c)));
        }
        return result;
    }

    private static Instant time(ASN1GeneralizedTime t) {
        try {
            return t.getDate().toInstant();
        } catch (ParseException e) {
            throw invalid("unreadable deadline");
        }
    }

    private static CryptoException invalid(String message) {
        return new CryptoException(CryptoError.HEADER_INVALID, message);
    }
}
