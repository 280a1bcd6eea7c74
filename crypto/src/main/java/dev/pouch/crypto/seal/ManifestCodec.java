package dev.pouch.crypto.seal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;

import java.util.ArrayList;
import java.util.List;

/** DER form of {@link PartManifest} (see its Javadoc for the ASN.1). */
final class ManifestCodec {

    /** Parts beyond this many are refused (16 TiB at the default part size). */
    static final int MAX_PARTS = 1 << 20;

    private ManifestCodec() {
    }

    static ASN1Sequence encode(PartManifest m) {
        ASN1EncodableVector parts = new ASN1EncodableVector(m.partCount());
        for (PartManifest.Entry e : m.parts()) {
            parts.add(new DERSequence(new ASN1Encodable[] {
                    new ASN1Integer(e.index()), new ASN1Integer(e.plainSize()), new DEROctetString(e.plainSha256().bytes()),
                    new ASN1Integer(e.sealedSize()), new DEROctetString(e.sealedSha256().bytes())}));
        }
        return new DERSequence(new ASN1Encodable[] {
                new ASN1Integer(1), new ASN1Integer(m.totalSize()), new ASN1Integer(m.partSize()),
                new DEROctetString(m.bulkKeyId()), new DEROctetString(m.bulkKey()), new DERSequence(parts)});
    }

    static PartManifest decode(byte[] der) {
        try {
            ASN1Sequence s = ASN1Sequence.getInstance(der);
            if (s.size() != 6 || ASN1Integer.getInstance(s.getObjectAt(0)).intValueExact() != 1) {
                throw new CryptoException(CryptoError.PART_INVALID, "unknown manifest version");
            }
            ASN1Sequence parts = ASN1Sequence.getInstance(s.getObjectAt(5));
            if (parts.size() > MAX_PARTS) {
                throw new CryptoException(CryptoError.LIMIT_EXCEEDED, "more than " + MAX_PARTS + " parts");
            }
            List<PartManifest.Entry> entries = new ArrayList<>(parts.size());
            for (ASN1Encodable p : parts) {
                ASN1Sequence e = ASN1Sequence.getInstance(p);
                if (e.size() != 5) {
                    throw new CryptoException(CryptoError.PART_INVALID, "malformed manifest entry");
                }
                entries.add(new PartManifest.Entry(
                        ASN1Integer.getInstance(e.getObjectAt(0)).intValueExact(),
                        ASN1Integer.getInstance(e.getObjectAt(1)).longValueExact(),
                        Sha256.of(ASN1OctetString.getInstance(e.getObjectAt(2)).getOctets()),
                        ASN1Integer.getInstance(e.getObjectAt(3)).longValueExact(),
                        Sha256.of(ASN1OctetString.getInstance(e.getObjectAt(4)).getOctets())));
            }
            return new PartManifest(
                    ASN1Integer.getInstance(s.getObjectAt(1)).longValueExact(),
                    ASN1Integer.getInstance(s.getObjectAt(2)).intValueExact(),
                    ASN1OctetString.getInstance(s.getObjectAt(3)).getOctets(),
                    ASN1OctetString.getInstance(s.getObjectAt(4)).getOctets(),
                    entries);
        } catch (CryptoException e) {
            throw e.error() == CryptoError.LIMIT_EXCEEDED ? e : new CryptoException(CryptoError.PART_INVALID, e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.PART_INVALID, "unreadable part manifest: " + e.getMessage(), e);
        }
    }
}
