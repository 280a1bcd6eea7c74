package dev.pouch.protocol.message;

import dev.pouch.crypto.document.Precedence;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** Server to client: a document for the client's organization; its main object follows as a stream. */
public record Deliver(UUID documentId, String mainStreamId, long mainSize, List<PartRef> parts,
        Precedence precedence, Instant acceptedAt) implements Message {
    public Deliver {
        Objects.requireNonNull(documentId);
        Checks.streamId(mainStreamId);
        Checks.require(mainSize > 0, "empty main object");
        parts = Checks.list(parts, Submit.MAX_PARTS, "parts");
        Objects.requireNonNull(precedence);
        Objects.requireNonNull(acceptedAt);
    }
}
