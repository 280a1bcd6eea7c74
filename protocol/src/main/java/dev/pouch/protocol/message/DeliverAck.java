package dev.pouch.protocol.message;

import java.util.Objects;
import java.util.UUID;

/** Client to server: the delivered document (and its parts) are persisted. */
public record DeliverAck(UUID documentId) implements Message {
    public DeliverAck {
        Objects.requireNonNull(documentId);
    }
}
