package dev.pouch.protocol.message;

import java.util.Objects;
import java.util.UUID;

/** The authenticated staff member signs for (签收) a document. */
public record SignFor(UUID documentId, String note) implements Message {
    public SignFor {
        Objects.requireNonNull(documentId);
        Checks.text(note, 1000, "note");
    }
}
