package dev.pouch.crypto;

import java.util.Objects;

/**
 * The one exception every crypto failure throws; {@link #error()} says which.
 *
 * <p>The detail is meant for logs and the audit trail, not for a remote peer: translate the
 * {@link CryptoError} at the edge and send only its code and message.
 */
public class CryptoException extends RuntimeException {

    private final CryptoError error;
    private final String detail;

    public CryptoException(CryptoError error, String detail) {
        super(error.name() + " (" + error.code() + "): " + detail);
        this.error = Objects.requireNonNull(error);
        this.detail = detail;
    }

    public CryptoException(CryptoError error, String detail, Throwable cause) {
        super(error.name() + " (" + error.code() + "): " + detail, cause);
        this.error = Objects.requireNonNull(error);
        this.detail = detail;
    }

    /** The detail alone, without the code the message starts with. */
    public String detail() {
        return detail;
    }

    /** What went wrong, as a stable code. */
    public CryptoError error() {
        return error;
    }
}
