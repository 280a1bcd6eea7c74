package dev.pouch.protocol.transport;

import dev.pouch.protocol.ErrorCode;
import dev.pouch.protocol.ProtocolException;
import dev.pouch.protocol.message.Failure;

/** The peer answered a request with an error frame. */
public final class RemoteFailureException extends ProtocolException {

    private final Failure failure;

    private RemoteFailureException(ErrorCode code, Failure failure) {
        super(code, failure.message(), failure.streamId().orElse(null));
        this.failure = failure;
    }

    static RemoteFailureException of(Failure failure) {
        return new RemoteFailureException(failure.knownCode().orElse(ErrorCode.INTERNAL_ERROR), failure);
    }

    /** The error frame exactly as received (its code may be one this side does not know). */
    public Failure failure() {
        return failure;
    }

    public boolean retryable() {
        return failure.retryable();
    }
}
