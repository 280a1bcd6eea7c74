package dev.pouch.protocol.message;

import java.util.Objects;
import java.util.UUID;

/** The receipt was verified and stored. */
public record ReceiptAck(UUID documentId) implements Message {
    public ReceiptAck {
        Objects.requireNonNull(documentId);
    }
}
