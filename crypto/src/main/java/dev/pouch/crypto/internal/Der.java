package dev.pouch.crypto.internal;

import dev.pouch.crypto.CryptoError;
import dev.pouch.crypto.CryptoException;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Primitive;

import java.io.IOException;
import java.util.function.Function;

/**
 * Safe decoding of untrusted DER/BER. Lengths are bounded by the input array, so an absurd length
 * field fails fast instead of allocating; every decoding failure becomes
 * {@link CryptoError#MALFORMED}.
 */
public final class Der {

    private Der() {
    }

    /** Parses exactly one ASN.1 object occupying the whole array. */
    public static ASN1Primitive parse(byte[] bytes, String what) {
        if (bytes == null || bytes.length == 0) {
            throw new CryptoException(CryptoError.MALFORMED, what + " is empty");
        }
        try (ASN1InputStream in = new ASN1InputStream(bytes)) {
            ASN1Primitive primitive = in.readObject();
            if (primitive == null) {
                throw new CryptoException(CryptoError.MALFORMED, what + " holds no ASN.1 object");
            }
            if (in.available() > 0 || in.readObject() != null) {
                throw new CryptoException(CryptoError.MALFORMED, what + " has trailing data");
            }
            return primitive;
        } catch (IOException | RuntimeException e) {
            if (e instanceof CryptoException ce) {
                throw ce;
            }
            throw new CryptoException(CryptoError.MALFORMED, what + " is not valid DER: " + e.getMessage(), e);
        }
    }

    /** Parses and converts with a Bouncy Castle {@code getInstance} function, mapping failures. */
    public static <T> T parse(byte[] bytes, String what, Function<Object, T> getInstance) {
        ASN1Primitive primitive = parse(bytes, what);
        return convert(primitive, what, getInstance);
    }

    /** Converts an already parsed object, mapping structural failures to {@code MALFORMED}. */
    public static <T> T convert(Object object, String what, Function<Object, T> getInstance) {
        try {
            T value = getInstance.apply(object);
            if (value == null) {
                throw new CryptoException(CryptoError.MALFORMED, what + " is absent");
            }
            return value;
        } catch (CryptoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CryptoException(CryptoError.MALFORMED, what + " has the wrong structure: " + e.getMessage(), e);
        }
    }

    /**
     * Re-encodes BER input (indefinite lengths, segmented strings) as DER, so that one strict
     * reader handles both. Failures are {@code MALFORMED}.
     */
    public static byte[] normalise(byte[] bytes, String what) {
        try {
            return parse(bytes, what).getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (IOException | RuntimeException e) {
            if (e instanceof CryptoException ce) {
                throw ce;
            }
            throw new CryptoException(CryptoError.MALFORMED, what + " cannot be re-encoded as DER", e);
        }
    }

    /** The object identifier in an element read by {@link DerReader}. */
    public static org.bouncycastle.asn1.ASN1ObjectIdentifier oid(DerReader.Tlv tlv) {
        return parse(tlv.encoding(), "object identifier", org.bouncycastle.asn1.ASN1ObjectIdentifier::getInstance);
    }

    /** A small INTEGER read by {@link DerReader}. */
    public static int integer(DerReader.Tlv tlv) {
        try {
            return parse(tlv.encoding(), "integer", org.bouncycastle.asn1.ASN1Integer::getInstance).intValueExact();
        } catch (ArithmeticException e) {
            throw new CryptoException(CryptoError.MALFORMED, "integer out of range", e);
        }
    }

    /** DER encoding of an object we built ourselves. */
    public static byte[] encode(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("cannot DER-encode " + value.getClass().getSimpleName(), e);
        }
    }
}
