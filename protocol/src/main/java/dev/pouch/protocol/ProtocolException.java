package dev.pouch.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * A protocol violation or refusal with its {@link ErrorCode}. When {@link #streamId()} is present
 * only that stream fails; otherwise the connection is closed after the error frame.
 */
public class ProtocolException extends RuntimeException {

    private final ErrorCode code;
    private final String streamId;
    private final String detail;

    public ProtocolException(ErrorCode code, String detail) {
        this(code, detail, null, null);
    }

    public ProtocolException(ErrorCode code, String detail, String streamId) {
        this(code, detail, streamId, null);
    }

    public ProtocolException(ErrorCode code, String detail, String streamId, Throwable cause) {
        super(code.name() + " (" + code.code() + "): " + detail, cause);
        this.code = Objects.requireNonNull(code);
        this.streamId = streamId;
        this.detail = detail;
    }

    /** The detail alone, without the code the message starts with (what an error frame carries). */
    public String detail() {
        return detail;
    }

    public ErrorCode code() {
        return code;
    }

    /** The stream concerned, if the error is limited to one stream. */
    public Optional<String> streamId() {
        return Optional.ofNullable(streamId);
    }
}
