package dev.pouch.crypto;

/**
 * Every way a crypto operation can fail, with a stable numeric code.
 *
 * <p>Codes travel on the wire (the protocol's {@code ErrorCode} reuses them one to one) and appear
 * in {@code docs/crypto.md}; never renumber or reuse one. The messages are for people: they say
 * what is wrong without echoing secrets or attacker-controlled bytes.
 */
public enum CryptoError {
    /** Input is not well-formed DER/BER of the expected structure, or is truncated. */
    MALFORMED(2001, "The data is not a well-formed sealed object."),
    /** A well-formed CMS object of a kind this profile does not use. */
    UNSUPPORTED_CONTENT_TYPE(2002, "The data is a CMS object of a kind Pouch does not accept."),
    /** An algorithm outside the suite's allow-list. */
    UNSUPPORTED_ALGORITHM(2003, "The object uses an algorithm outside the Pouch crypto profile."),
    /** None of the recipient infos is for the opener's key. */
    NOT_A_RECIPIENT(2004, "The document is not encrypted for this key."),
    /** Key unwrap or authenticated decryption failed: tampering or a wrong key. */
    DECRYPTION_FAILED(2005, "The document could not be decrypted: it was altered or the key is wrong."),
    /** The signature does not verify over the signed attributes or content. */
    SIGNATURE_INVALID(2006, "The signature does not match the document."),
    /** The certificate does not chain to a trusted exchange CA. */
    CERTIFICATE_UNTRUSTED(2007, "The certificate was not issued by a trusted exchange authority."),
    /** The certificate (or one in its chain) was not valid at the validation time. */
    CERTIFICATE_EXPIRED(2008, "The certificate was not valid at the time that counts."),
    /** The certificate was revoked before the validation time. */
    CERTIFICATE_REVOKED(2009, "The certificate has been revoked."),
    /** Key usage or extended key usage does not allow the attempted use. */
    KEY_USAGE_INVALID(2010, "The certificate may not be used for this purpose."),
    /** A mandatory signed attribute is missing or appears more than once. */
    SIGNED_ATTRIBUTE_MISSING(2011, "A mandatory signed attribute is missing or repeated."),
    /** The algorithm protection attribute disagrees with the algorithms actually used. */
    ALGORITHM_MISMATCH(2012, "The algorithms used do not match the signed algorithm protection."),
    /** The security label is missing from the signed attributes, unsigned, or not understood. */
    SECURITY_LABEL_INVALID(2013, "The classification label is missing, unsigned or not understood."),
    /** The signed header is missing or does not satisfy its rules. */
    HEADER_INVALID(2014, "The signed document header is missing or invalid."),
    /** The opener's organization is not among the signed recipients. */
    OPENER_NOT_ADDRESSED(2015, "This organization is not among the document's signed recipients."),
    /** The document carries no content. */
    CONTENT_EMPTY(2016, "The document has no content."),
    /** Not exactly one signer, or the signer certificate is absent. */
    SIGNER_INVALID(2017, "The document must carry exactly one signer with its certificate."),
    /** A part of a large document does not match the signed manifest. */
    PART_INVALID(2018, "A part of the document does not match its signed manifest."),
    /** A receipt does not match the original document or is not a valid ESS receipt. */
    RECEIPT_INVALID(2019, "The receipt does not match the original document."),
    /** The key store cannot be read: wrong password or damaged file. */
    CREDENTIALS_UNREADABLE(2020, "The credentials could not be read: wrong password or damaged file."),
    /** No current revocation list from the issuing authority. */
    REVOCATION_UNAVAILABLE(2021, "The revocation status of the certificate cannot be established."),
    /** A size or count limit was exceeded. */
    LIMIT_EXCEEDED(2022, "The object exceeds a size or count limit."),
    /** The caller asked for something inconsistent (for instance a recipient key not in the header). */
    INVALID_REQUEST(2023, "The request is inconsistent: a recipient, key or field does not fit.");

    private final int code;
    private final String message;

    CryptoError(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The stable numeric code. */
    public int code() {
        return code;
    }

    /** A sentence a person understands. */
    public String message() {
        return message;
    }
}
