package dev.pouch.client;

import dev.pouch.protocol.ErrorCode;

import java.util.Optional;

/**
 * Why the client could not do what was asked, in a sentence a person understands: a refusal by
 * the exchange carries its stable {@link ErrorCode}; a problem on this side (credentials, input,
 * the local folder, no connection) carries its {@link Kind}.
 */
public final class ClientException extends RuntimeException {

    /** Where the problem is. */
    public enum Kind {
        /** The exchange refused the request: see {@link #code()}. */
        REFUSED,
        /** The credentials file is missing, unreadable, the password is wrong, or the certificate expired. */
        CREDENTIALS,
        /** The request itself is wrong (an unknown organization, a missing file…): nothing was sent. */
        INVALID_INPUT,
        /** The exchange could not be reached in time. */
        UNREACHABLE,
        /** The local store could not be written or read. */
        LOCAL_STORE,
        /** A document did not open or verify. */
        VERIFICATION
    }

    private final Kind kind;
    private final ErrorCode code;

    public ClientException(Kind kind, String message) {
        this(kind, null, message, null);
    }

    public ClientException(Kind kind, String message, Throwable cause) {
        this(kind, null, message, cause);
    }

    public ClientException(Kind kind, ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    /** The exchange's error code, for refusals (and for verification failures, the crypto code). */
    public Optional<ErrorCode> code() {
        return Optional.ofNullable(code);
    }

    /** Worth trying again later, unchanged. */
    public boolean retryable() {
        return kind == Kind.UNREACHABLE || (code != null && code.retryable());
    }
}
