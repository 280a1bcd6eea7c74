package dev.pouch.protocol.message;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Each recipient's state of a document. */
public record StatusReply(UUID documentId, List<RecipientStatus> recipients) implements Message {
    public StatusReply {
        Objects.requireNonNull(documentId);
        recipients = Checks.list(recipients, 4096, "recipients");
    }
}
