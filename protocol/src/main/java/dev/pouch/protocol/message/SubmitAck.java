package dev.pouch.protocol.message;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** The document is durably accepted; {@code duplicate} when this answers a resubmission. */
public record SubmitAck(UUID documentId, Instant acceptedAt, boolean duplicate) implements Message {
    public SubmitAck {
        Objects.requireNonNull(documentId);
        Objects.requireNonNull(acceptedAt);
    }
}
