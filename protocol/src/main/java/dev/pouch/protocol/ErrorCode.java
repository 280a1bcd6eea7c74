package dev.pouch.protocol;

import dev.pouch.crypto.CryptoError;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every refusal the exchange can send, with a stable numeric code shared by server and client.
 *
 * <p>1xxx are protocol and transport errors, 2xxx mirror {@link CryptoError} one to one, 3xxx are
 * the exchange's own refusals. Codes appear in {@code docs/protocol.md} (checked by a test); never
 * renumber or reuse one. {@link #retryable()} tells a client whether trying again later can help.
 */
public enum ErrorCode {
    // --- 1xxx: protocol and transport
    MALFORMED_FRAME(1001, false, "The frame could not be decoded."),
    FRAME_TOO_LARGE(1002, false, "The frame is larger than the protocol allows."),
    UNSUPPORTED_VERSION(1003, false, "The protocol version is not supported by this peer."),
    HELLO_REQUIRED(1004, false, "The conversation must begin with hello."),
    UNEXPECTED_MESSAGE(1005, false, "This message is not allowed here."),
    OUT_OF_ORDER_CHUNK(1006, false, "A chunk did not start where the previous one ended."),
    DIGEST_MISMATCH(1007, true, "The stream's SHA-256 does not match what was received; it was discarded."),
    UNKNOWN_STREAM(1008, false, "No such stream is open."),
    STREAM_SIZE_MISMATCH(1009, false, "The stream's data does not match its declared size."),
    TOO_MANY_STREAMS(1010, true, "Too many streams are open on this connection."),
    CHUNK_TOO_LARGE(1011, false, "A chunk carries more data than allowed."),
    IDLE_TIMEOUT(1012, true, "The connection was idle for too long."),
    BUSY(1013, true, "The exchange is busy; try again shortly."),
    INTERNAL_ERROR(1014, true, "The exchange hit an internal error; try again later."),
    SHUTTING_DOWN(1015, true, "The exchange is shutting down; reconnect shortly."),
    TIMEOUT(1016, true, "The peer did not answer in time."),
    STREAM_TOO_LARGE(1017, false, "The stream is larger than the exchange accepts."),
    DUPLICATE_REQUEST_ID(1018, false, "A request id was reused while its request was still open."),
    STREAM_ABORTED(1019, true, "The sender could not go on with the stream (its source failed); what arrived is kept for a resumed one."),

    // --- 3xxx: the exchange's refusals
    SENDER_MISMATCH(3001, false, "The document's sender is not the organization of the staff member submitting it."),
    CLASSIFICATION_ABOVE_CEILING(3002, false, "The document is classified above what this exchange is accredited to carry."),
    UNKNOWN_RECIPIENT(3003, false, "A recipient is not an organization of this exchange."),
    DUPLICATE_DOCUMENT_NUMBER(3004, false, "This document number is already used by the issuer this year."),
    FILE_TYPE_REFUSED(3005, false, "An attachment is of a kind the exchange does not carry, such as a program."),
    CONTENT_TYPE_MISMATCH(3006, false, "An attachment's content does not match the type it declares."),
    NOT_FOUND(3007, false, "No such document, or it is not visible to you."),
    FORBIDDEN(3008, false, "You are not allowed to do this."),
    DOCUMENT_ID_CONFLICT(3009, false, "Another document was already submitted under this id."),
    NOT_SEALED_FOR_ARCHIVE(3010, false, "The document is not sealed for the exchange archive, so it cannot be accepted."),
    UPLOAD_INCOMPLETE(3011, false, "A sealed object named in the submission has not been uploaded completely."),
    UNKNOWN_STAFF(3012, false, "Your certificate names a staff member the exchange does not know or has deactivated."),
    QUEUEING_DELAYED(3013, true, "The document is stored but not yet queued for its recipients; submit it again to confirm."),
    NOT_AVAILABLE(3014, false, "This function is not available on this exchange yet."),
    INVALID_REQUEST(3015, false, "The request is incomplete or has a value that is not allowed."),
    SURVEY_INVALID(3016, false, "A survey request needs at least one target office and a deadline in the future."),
    SURVEY_WITHDRAWN(3017, false, "The survey was withdrawn by its requester; it takes no more responses."),
    SURVEY_NOT_TARGETED(3018, false, "Your organization is not a target of this survey; send a reply (REPLY) instead of a report."),
    BATCH_INVALID(3019, false, "The document does not fit its batch: another sender, another declared size, or more documents than declared."),
    SIGN_IN_REQUIRED(3020, false, "Sign in to the web console first."),
    SIGN_IN_FAILED(3021, false, "The staff member, password or certificate was not accepted."),
    FORM_EXPIRED(3022, true, "The form is out of date or did not come from this console; reload the page and send it again."),

    // --- 2xxx: crypto, one to one with CryptoError
    CRYPTO_MALFORMED(CryptoError.MALFORMED),
    CRYPTO_UNSUPPORTED_CONTENT_TYPE(CryptoError.UNSUPPORTED_CONTENT_TYPE),
    CRYPTO_UNSUPPORTED_ALGORITHM(CryptoError.UNSUPPORTED_ALGORITHM),
    CRYPTO_NOT_A_RECIPIENT(CryptoError.NOT_A_RECIPIENT),
    CRYPTO_DECRYPTION_FAILED(CryptoError.DECRYPTION_FAILED),
    CRYPTO_SIGNATURE_INVALID(CryptoError.SIGNATURE_INVALID),
    CRYPTO_CERTIFICATE_UNTRUSTED(CryptoError.CERTIFICATE_UNTRUSTED),
    CRYPTO_CERTIFICATE_EXPIRED(CryptoError.CERTIFICATE_EXPIRED),
    CRYPTO_CERTIFICATE_REVOKED(CryptoError.CERTIFICATE_REVOKED),
    CRYPTO_KEY_USAGE_INVALID(CryptoError.KEY_USAGE_INVALID),
    CRYPTO_SIGNED_ATTRIBUTE_MISSING(CryptoError.SIGNED_ATTRIBUTE_MISSING),
    CRYPTO_ALGORITHM_MISMATCH(CryptoError.ALGORITHM_MISMATCH),
    CRYPTO_SECURITY_LABEL_INVALID(CryptoError.SECURITY_LABEL_INVALID),
    CRYPTO_HEADER_INVALID(CryptoError.HEADER_INVALID),
    CRYPTO_OPENER_NOT_ADDRESSED(CryptoError.OPENER_NOT_ADDRESSED),
    CRYPTO_CONTENT_EMPTY(CryptoError.CONTENT_EMPTY),
    CRYPTO_SIGNER_INVALID(CryptoError.SIGNER_INVALID),
    CRYPTO_PART_INVALID(CryptoError.PART_INVALID),
    CRYPTO_RECEIPT_INVALID(CryptoError.RECEIPT_INVALID),
    CRYPTO_CREDENTIALS_UNREADABLE(CryptoError.CREDENTIALS_UNREADABLE),
    CRYPTO_REVOCATION_UNAVAILABLE(CryptoError.REVOCATION_UNAVAILABLE),
    CRYPTO_LIMIT_EXCEEDED(CryptoError.LIMIT_EXCEEDED),
    CRYPTO_INVALID_REQUEST(CryptoError.INVALID_REQUEST);

    private static final Map<Integer, ErrorCode> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ErrorCode::code, Function.identity()));

    private final int code;
    private final boolean retryable;
    private final String message;

    ErrorCode(int code, boolean retryable, String message) {
        this.code = code;
        this.retryable = retryable;
        this.message = message;
    }

    ErrorCode(CryptoError error) {
        this(error.code(), false, error.message());
    }

    /** The stable numeric code. */
    public int code() {
        return code;
    }

    /** Whether the same request may succeed later. */
    public boolean retryable() {
        return retryable;
    }

    /** A sentence a person understands. */
    public String message() {
        return message;
    }

    public static Optional<ErrorCode> fromCode(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    /** The wire code for a crypto failure. */
    public static ErrorCode of(CryptoError error) {
        return fromCode(error.code()).orElseThrow(() -> new IllegalStateException("no ErrorCode for " + error));
    }
}
