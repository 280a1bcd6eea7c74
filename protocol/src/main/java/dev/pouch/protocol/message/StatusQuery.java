package dev.pouch.protocol.message;

import java.util.Objects;
import java.util.UUID;

/** Asks for each recipient's state of a document. */
public record StatusQuery(UUID documentId) implements Message {
    public StatusQuery {
        Objects.requireNonNull(documentId);
    }
}
