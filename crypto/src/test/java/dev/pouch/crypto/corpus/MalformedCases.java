package dev.pouch.crypto.corpus;

import dev.pouch.crypto.corpus.CorpusPki.Cred;
import dev.pouch.crypto.internal.CmsSigning;
import dev.pouch.crypto.internal.Der;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static dev.pouch.crypto.CryptoError.CONTENT_EMPTY;
import static dev.pouch.crypto.CryptoError.MALFORMED;
import static dev.pouch.crypto.CryptoError.UNSUPPORTED_CONTENT_TYPE;

/**
 * Inputs that are not a Pouch envelope at all, or an envelope of the wrong shape: broken DER,
 * other CMS types, envelope attributes, and plaintexts that are not a signed document.
 */
final class MalformedCases extends CaseSupport {

    private final byte[] reference;

    /** @param reference a genuine sealed document to damage */
    MalformedCases(CorpusPki pki, byte[] reference) {
        super(pki);
        this.reference = reference.clone();
    }

    @Override
    protected void build() {
        sealed("malformed-empty", "FR-EMB", MALFORMED, "empty input: zero bytes", new byte[0]);
        sealed("malformed-truncated", "FR-EMB", MALFORMED,
                "a genuine sealed document cut in half (DER length runs past the end)",
                Arrays.copyOf(reference, reference.length / 2));
        sealed("malformed-trailing-garbage", "FR-EMB", MALFORMED,
                "a genuine sealed document followed by 17 bytes of text after the outer DER object",
                concat(reference, "TRAILING GARBAGE\n".getBytes(StandardCharsets.US_ASCII)));
        sealed("malformed-absurd-length", "FR-EMB", MALFORMED,
                "outer SEQUENCE length rewritten to 0x84 7F FF FF FF (2 GiB) over a 2 KB body; must fail fast without allocating",
                absurdLength(reference));
        byte[] random = new byte[512];
        new Random(20261123L).nextBytes(random);
        sealed("malformed-random-bytes", "FR-EMB", MALFORMED, "512 pseudo-random bytes (seed 20261123)", random);
        sealed("malformed-deep-nesting", "FR-EMB", MALFORMED,
                "2000 nested indefinite-length BER SEQUENCEs (30 80 ... 00 00): must not exhaust the stack", deepNesting(2000));
        sealed("malformed-not-content-info", "FR-EMB", MALFORMED,
                "a DER SEQUENCE of one INTEGER instead of a ContentInfo", new byte[] {0x30, 0x03, 0x02, 0x01, 0x05});

        byte[] inner = document("type-plain-signed-data").encode();
        sealed("type-plain-signed-data", "FR-EMB", UNSUPPORTED_CONTENT_TYPE,
                "a genuine signed document sent without any envelope (ContentInfo SignedData)", inner);
        sealed("type-enveloped-data", "FR-EMB", UNSUPPORTED_CONTENT_TYPE,
                "a genuine CMS EnvelopedData (AES-256-CBC, ECDH KARI to FR-EMB) instead of AuthEnvelopedData",
                EnvelopeForge.envelopedData(document("type-enveloped-data").encode(), pki.certificate(Cred.FR_KA)));
        sealed("type-plain-data", "FR-EMB", UNSUPPORTED_CONTENT_TYPE,
                "a ContentInfo of type id-data carrying the document in clear",
                Der.encode(new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(content("type-plain-data")))));
        sealed("envelope-auth-attributes", "FR-EMB", UNSUPPORTED_CONTENT_TYPE,
                "AuthEnvelopedData with authenticated attributes (a content-type attribute, GCM AAD per RFC 5083)",
                envelope("envelope-auth-attributes")
                        .authAttributes(CmsSigning.attribute(CMSAttributes.contentType, CMSObjectIdentifiers.data)).encode());
        sealed("envelope-unauth-attributes", "FR-EMB", UNSUPPORTED_CONTENT_TYPE,
                "AuthEnvelopedData with an unauthenticated attribute appended after the MAC",
                envelope("envelope-unauth-attributes").unauthAttributes(
                        CmsSigning.attribute(CMSAttributes.contentType, CMSObjectIdentifiers.data)).encode());
        sealed("envelope-content-type-signed-data", "FR-EMB", MALFORMED,
                "encrypted content declared as id-signedData without authAttrs, which RFC 5083 requires for non-data content",
                envelope("envelope-content-type-signed-data").contentType(CMSObjectIdentifiers.signedData).encode());
        sealed("envelope-content-type-signed-data-attributed", "FR-EMB", UNSUPPORTED_CONTENT_TYPE,
                "encrypted content declared as id-signedData, with the content-type authAttr RFC 5083 then requires",
                envelope("envelope-content-type-signed-data-attributed").contentType(CMSObjectIdentifiers.signedData)
                        .authAttributes(CmsSigning.attribute(CMSAttributes.contentType, CMSObjectIdentifiers.signedData))
                        .encode());
        sealed("envelope-version-2", "FR-EMB", MALFORMED, "AuthEnvelopedData version 2 (RFC 5083 fixes it at 0)",
                envelope("envelope-version-2").version(2).encode());
        sealed("envelope-no-encrypted-content", "FR-EMB", CONTENT_EMPTY,
                "the EncryptedContentInfo has no encryptedContent (detached ciphertext)",
                envelope("envelope-no-encrypted-content").omitContent().encode());
        byte[] data = Der.encode(new ContentInfo(CMSObjectIdentifiers.data, new DEROctetString(content("inner-plain-data"))));
        sealed("inner-plain-data", "FR-EMB", UNSUPPORTED_CONTENT_TYPE,
                "authentic envelope whose plaintext is a ContentInfo of id-data, not a signed document",
                sealToFr(data));
        sealed("inner-not-der", "FR-EMB", MALFORMED, "authentic envelope whose plaintext is text, not DER",
                sealToFr("This is not a signed document.\n".getBytes(StandardCharsets.US_ASCII)));
    }

    /** A genuine envelope, to FR-EMB and the archive, around a well-formed signed document. */
    private EnvelopeForge envelope(String name) {
        return EnvelopeForge.of(document(name).encode()).to(pki.certificate(Cred.FR_KA), pki.certificate(Cred.ARCHIVE_KA));
    }

    private static byte[] absurdLength(byte[] der) {
        int headerLength = (der[1] & 0x80) == 0 ? 2 : 2 + (der[1] & 0x7f);
        byte[] head = {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        return concat(head, Arrays.copyOfRange(der, headerLength, der.length));
    }

    private static byte[] deepNesting(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) {
            out.write(0x30);
            out.write(0x80);
        }
        for (int i = 0; i < depth; i++) {
            out.write(0);
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
