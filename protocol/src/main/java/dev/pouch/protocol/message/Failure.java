package dev.pouch.protocol.message;

import dev.pouch.protocol.ErrorCode;

import java.util.Optional;

/**
 * The error frame: a stable code, a sentence for people, whether retrying can help, and the
 * stream it concerns (if only one stream failed). The code is kept as a number so that a code
 * from a newer peer survives; {@link #knownCode()} maps it.
 */
public record Failure(int code, String message, boolean retryable, Optional<String> streamId) implements Message {

    public Failure {
        Checks.text(message, Checks.MAX_TEXT, "error message");
        streamId.ifPresent(Checks::streamId);
    }

    public static Failure of(ErrorCode code, String detail) {
        return new Failure(code.code(), detail, code.retryable(), Optional.empty());
    }

    public static Failure ofStream(ErrorCode code, String detail, String streamId) {
        return new Failure(code.code(), detail, code.retryable(), Optional.of(streamId));
    }

    public Optional<ErrorCode> knownCode() {
        return ErrorCode.fromCode(code);
    }
}
